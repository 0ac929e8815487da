package scheduling

// state is a schedule under construction: which candidate pairs meet in
// which slot. Every change goes through place and unplace, which keep the
// indexes and the value current and may log themselves so a tentative move
// can be undone.
type state struct {
	in       *instance
	at       []int32 // by pair: its slot, or -1
	pAt, hAt []int32 // by [i*T+t]: the pair meeting there, or -1
	used     []int   // meetings by slot
	pCnt     []int
	hCnt     []int
	bySlot   [][]int32 // the pairs meeting in each slot
	pos      []int32   // a pair's place in bySlot[at]
	val      value     // of the placed pairs, kept meetings aside
	slack    int       // tables left over the day

	logging bool
	log     []change
}

// change is one place (from < 0) or unplace (to < 0).
type change struct {
	i        int32
	from, to int32
}

func newState(in *instance) *state {
	T := in.T
	s := &state{
		in:     in,
		at:     make([]int32, len(in.pairs)),
		pAt:    make([]int32, in.nP*T),
		hAt:    make([]int32, in.nH*T),
		used:   make([]int, T),
		pCnt:   make([]int, in.nP),
		hCnt:   make([]int, in.nH),
		bySlot: make([][]int32, T),
		pos:    make([]int32, len(in.pairs)),
	}
	for i := range s.at {
		s.at[i] = -1
	}
	for i := range s.pAt {
		s.pAt[i] = -1
	}
	for i := range s.hAt {
		s.hAt[i] = -1
	}
	for _, k := range in.tables {
		s.slack += k
	}
	return s
}

// fits reports whether pair i can meet in slot t as the schedule stands.
func (s *state) fits(i, t int) bool {
	x := s.in.pairs[i]
	T := s.in.T
	p, h := int(x.p), int(x.h)
	return s.at[i] < 0 && s.in.pFree[p*T+t] && s.in.hFree[h*T+t] &&
		s.pAt[p*T+t] < 0 && s.hAt[h*T+t] < 0 && s.used[t] < s.in.tables[t] &&
		s.pCnt[p] < s.in.capP[p] && s.hCnt[h] < s.in.capH[h]
}

// open reports whether both sides of pair i are free in slot t (available
// and not held by a kept meeting), whatever else is there.
func (s *state) open(i, t int) bool {
	x := s.in.pairs[i]
	T := s.in.T
	return s.in.pFree[int(x.p)*T+t] && s.in.hFree[int(x.h)*T+t]
}

func (s *state) place(i, t int) {
	x := s.in.pairs[i]
	T := s.in.T
	s.at[i] = int32(t)
	s.pAt[int(x.p)*T+t] = int32(i)
	s.hAt[int(x.h)*T+t] = int32(i)
	s.used[t]++
	s.slack--
	s.pCnt[x.p]++
	s.hCnt[x.h]++
	s.pos[i] = int32(len(s.bySlot[t]))
	s.bySlot[t] = append(s.bySlot[t], int32(i))
	s.val = s.val.plus(x.value())
	if s.logging {
		s.log = append(s.log, change{int32(i), -1, int32(t)})
	}
}

func (s *state) unplace(i int) {
	x := s.in.pairs[i]
	T := s.in.T
	t := int(s.at[i])
	s.at[i] = -1
	s.pAt[int(x.p)*T+t] = -1
	s.hAt[int(x.h)*T+t] = -1
	s.used[t]--
	s.slack++
	s.pCnt[x.p]--
	s.hCnt[x.h]--
	l := s.bySlot[t]
	k := s.pos[i]
	last := l[len(l)-1]
	l[k] = last
	s.pos[last] = k
	s.bySlot[t] = l[:len(l)-1]
	s.val = s.val.minus(x.value())
	if s.logging {
		s.log = append(s.log, change{int32(i), int32(t), -1})
	}
}

// mark starts logging and returns where the log stands.
func (s *state) mark() int {
	s.logging = true
	return len(s.log)
}

// undo takes back every change since mark m.
func (s *state) undo(m int) {
	logging := s.logging
	s.logging = false
	for k := len(s.log) - 1; k >= m; k-- {
		c := s.log[k]
		if c.to >= 0 {
			s.unplace(int(c.i))
		}
		if c.from >= 0 {
			s.place(int(c.i), int(c.from))
		}
	}
	s.log = s.log[:m]
	s.logging = logging
}

// commit forgets the log.
func (s *state) commit() {
	s.log = s.log[:0]
	s.logging = false
}
