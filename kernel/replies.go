package kernel

// The contents of the replies this kernel sends, as typed structs (the requests are
// decoded into structs too), so a reply's fields are fixed by its type and not by the
// map literal of each place that sends it. Field names and presence follow the
// Jupyter messaging protocol 5.4.

// statusReply is a reply with nothing but its status (interrupt_reply).
type statusReply struct {
	Status string `json:"status"`
}

// errorReply is the content of any reply whose request failed. ExecutionCount is set
// for execute_reply only.
type errorReply struct {
	Status         string   `json:"status"` // "error"
	Ename          string   `json:"ename"`
	Evalue         string   `json:"evalue"`
	Traceback      []string `json:"traceback"`
	ExecutionCount *int     `json:"execution_count,omitempty"`
}

// errorContent is the error reply for ename: evalue; traceback defaults to that one line.
func errorContent(ename, evalue string, traceback []string) errorReply {
	if traceback == nil {
		traceback = []string{ename + ": " + evalue}
	}
	return errorReply{Status: "error", Ename: ename, Evalue: evalue, Traceback: traceback}
}

// withCount is the error reply carrying the execution count, for execute_reply.
func (e errorReply) withCount(count int) errorReply {
	e.ExecutionCount = &count
	return e
}

type kernelInfoReply struct {
	Status                string       `json:"status"`
	ProtocolVersion       string       `json:"protocol_version"`
	Implementation        string       `json:"implementation"`
	ImplementationVersion string       `json:"implementation_version"`
	LanguageInfo          languageInfo `json:"language_info"`
	Banner                string       `json:"banner"`
	HelpLinks             []helpLink   `json:"help_links"`
	Debugger              bool         `json:"debugger"`
}

type languageInfo struct {
	Name              string `json:"name"`
	Version           string `json:"version"`
	Mimetype          string `json:"mimetype"`
	FileExtension     string `json:"file_extension"`
	PygmentsLexer     string `json:"pygments_lexer"`
	CodemirrorMode    string `json:"codemirror_mode"`
	NbconvertExporter string `json:"nbconvert_exporter"`
}

type helpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

type executeReply struct {
	Status          string           `json:"status"`
	ExecutionCount  int              `json:"execution_count"`
	Payload         []map[string]any `json:"payload"`
	UserExpressions map[string]any   `json:"user_expressions"`
}

// userExpressionResult is one ok entry of execute_reply's user_expressions (a failed
// one is an errorReply).
type userExpressionResult struct {
	Status   string         `json:"status"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

type completeReply struct {
	Status      string         `json:"status"`
	Matches     []string       `json:"matches"`
	CursorStart int            `json:"cursor_start"`
	CursorEnd   int            `json:"cursor_end"`
	Metadata    map[string]any `json:"metadata"`
}

type inspectReply struct {
	Status   string         `json:"status"`
	Found    bool           `json:"found"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// isCompleteReply carries an indent only when the status is "incomplete".
type isCompleteReply struct {
	Status string  `json:"status"`
	Indent *string `json:"indent,omitempty"`
}

type historyReply struct {
	Status  string  `json:"status"`
	History [][]any `json:"history"`
}

type commInfoReply struct {
	Status string         `json:"status"`
	Comms  map[string]any `json:"comms"`
}

type shutdownReply struct {
	Status  string `json:"status"`
	Restart bool   `json:"restart"`
}
