package obj

// ItemSetter is implemented by runtime values that support `x[key] = value`, such as
// matplotlib's rcParams.
type ItemSetter interface {
	SetItem(env *Env, key, value any) error
}
