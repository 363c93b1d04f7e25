package lazy

import "testing"

// Blocks whose output boxes meet fold in block order; boxes that do not tile make one
// group.
func TestFoldOrderGroupsBlocksByOutputBox(t *testing.T) {
	blocks := []Block{
		{[]int{0, 0, 0}, []int{1, 2, 4}}, {[]int{0, 2, 0}, []int{1, 4, 4}},
		{[]int{1, 0, 0}, []int{2, 2, 4}}, {[]int{1, 2, 0}, []int{2, 4, 4}},
	}
	f := newFoldOrder(blocks, []int{0})
	if f.group[0] != f.group[2] || f.group[1] != f.group[3] || f.group[0] == f.group[1] || f.turn[2] != 1 || f.turn[3] != 1 {
		t.Errorf("groups %v, turns %v: want blocks 0, 2 and 1, 3 together, in order", f.group, f.turn)
	}
	ragged := append(blocks[:2:2], Block{[]int{1, 0, 0}, []int{2, 3, 4}})
	f = newFoldOrder(ragged, []int{0})
	if f.group[0] != 0 || f.group[1] != 0 || f.group[2] != 0 || f.turn[2] != 2 {
		t.Errorf("overlapping boxes: groups %v, turns %v, want one group in block order", f.group, f.turn)
	}
}
