package plot

// Suptitle is the figure's title (fig.suptitle's text), "" without one.
func (f *Figure) Suptitle() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.suptitle
}
