package obj

// WarningsService is the session service name under which the language keeps Python's
// warning filters (warnings.filterwarnings, simplefilter, catch_warnings).
const WarningsService = "warnings"

// WarningFilter decides what becomes of a warning, as Python's warnings filters do:
// shown, ignored, or raised as an exception of its category ("error").
type WarningFilter interface {
	Filter(category, message string) (show bool, err error)
}

// Warn issues a warning of a Python category (UserWarning, ErfaWarning, …) with its
// message; text is what is written to the cell's stderr when the session's filters
// show it (astropy's "WARNING: …" form, dkist's, gokist's own). Every warning the
// runtime gives goes through here, so that warnings.filterwarnings("ignore") in a cell
// silences them all as it does in Python. The error is the warning raised as an
// exception when a filter says "error"; callers return it.
func Warn(env *Env, category, message, text string) error {
	if f, ok := env.Service(WarningsService).(WarningFilter); ok {
		show, err := f.Filter(category, message)
		if err != nil || !show {
			return err
		}
	}
	if env != nil && env.Out != nil {
		env.Out.Stream("stderr", text)
	}
	return nil
}
