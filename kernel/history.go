package kernel

import (
	"regexp"
	"strings"
)

// historySession is the session number this kernel's cells carry in history replies;
// history lives only as long as the kernel, so there is one session.
const historySession = 1

// historyEntry is one executed cell stored with store_history.
type historyEntry struct {
	line   int
	input  string
	output *string // text/plain of the result, nil when none
}

type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           int    `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// historyReply answers history_request over this session's stored cells: tail (the last
// n), range (lines start ≤ line < stop of a session) and search (a glob pattern over the
// whole input, as IPython's GLOB; the last n matches; unique keeps the latest of equal
// inputs).
func (k *Kernel) historyReply(ch channel, m *Message) []*Message {
	var req historyRequest
	if !k.decodeRequest(ch, m, &req) {
		return nil
	}
	k.historyMu.Lock()
	history := selectHistory(k.history, req)
	k.historyMu.Unlock()
	k.reply(ch.out, m, "history_reply", historyReply{Status: "ok", History: history})
	return nil
}

// addHistory stores an executed cell; control may read the history meanwhile.
func (k *Kernel) addHistory(e historyEntry) {
	k.historyMu.Lock()
	k.history = append(k.history, e)
	k.historyMu.Unlock()
}

func selectHistory(all []historyEntry, req historyRequest) [][]any {
	var picked []historyEntry
	switch req.HistAccessType {
	case "tail":
		picked = all
		if req.N != nil && *req.N >= 0 && *req.N < len(all) {
			picked = all[len(all)-*req.N:]
		}
	case "range":
		// Session numbers: ours, or 0 and negative ones meaning "the current session".
		if req.Session != historySession && req.Session > 0 {
			break
		}
		for _, e := range all {
			if e.line >= req.Start && (req.Stop <= 0 || e.line < req.Stop) {
				picked = append(picked, e)
			}
		}
	case "search":
		re, err := globRegexp(req.Pattern)
		if err != nil {
			break
		}
		seen := map[string]bool{}
		for i := len(all) - 1; i >= 0; i-- {
			e := all[i]
			if !re.MatchString(e.input) || req.Unique && seen[e.input] {
				continue
			}
			seen[e.input] = true
			picked = append(picked, e)
			if req.N != nil && *req.N > 0 && len(picked) == *req.N {
				break
			}
		}
		for i, j := 0, len(picked)-1; i < j; i, j = i+1, j-1 {
			picked[i], picked[j] = picked[j], picked[i]
		}
	}
	out := make([][]any, 0, len(picked))
	for _, e := range picked {
		var cell any = e.input
		if req.Output {
			var o any
			if e.output != nil {
				o = *e.output
			}
			cell = []any{e.input, o}
		}
		out = append(out, []any{historySession, e.line, cell})
	}
	return out
}

// globRegexp translates a glob (`*`, `?`, `[...]`) into a regexp matching a whole string.
func globRegexp(pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		pattern = "*"
	}
	var b strings.Builder
	b.WriteString(`(?s)^`)
	p := []rune(pattern)
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := i + 1
			for j < len(p) && p[j] != ']' {
				j++
			}
			if j >= len(p) {
				b.WriteString(`\[`)
				continue
			}
			class := string(p[i+1 : j])
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
