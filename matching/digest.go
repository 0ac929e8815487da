package matching

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"math"
	"slices"
)

// Digest returns a hash of everything the engine answers: every
// enterprise's innovation score and ranked pairings, and every resource's
// candidates, with their scores, eligibility, amounts and reasons (not when
// they were computed). Two engines that applied the same changes on the
// same day have the same digest. It reads everything, so it is for tests
// and operators comparing instances, not for requests.
func (e *Engine) Digest() string {
	e.mu.RLock()
	ents := make([]int64, 0, len(e.ents))
	for _, v := range e.ents {
		ents = append(ents, v.id)
	}
	var res [kindCount][]int64
	for k := range res {
		for id := range e.resIdx[k] {
			res[k] = append(res[k], id)
		}
	}
	e.mu.RUnlock()
	slices.Sort(ents)

	h := sha256.New()
	for _, id := range ents {
		s, ok := e.InnovationScore(id)
		if !ok {
			continue
		}
		writeInts(h, id, int64(s.Total))
		for _, p := range e.Matches(id, nil, math.MaxInt, false) {
			writePairing(h, p)
		}
	}
	for k, ids := range res {
		slices.Sort(ids)
		for _, id := range ids {
			writeInts(h, int64(k), id)
			for _, p := range e.Candidates(pairingKinds[k], id, math.MaxInt, false) {
				writePairing(h, p)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writePairing(h hash.Hash, p Pairing) {
	h.Write([]byte(p.Kind))
	amount := int64(-1)
	if p.SuggestedAmount != nil {
		amount = int64(*p.SuggestedAmount)
	}
	eligible := int64(0)
	if p.Eligible {
		eligible = 1
	}
	writeInts(h, p.EnterpriseID, p.ResourceID, int64(math.Float64bits(p.Score)), eligible, amount)
	for _, r := range p.Reasons {
		h.Write([]byte(r.Message))
		h.Write([]byte(r.Public))
	}
	for _, b := range p.Blockers {
		h.Write([]byte(b))
	}
	for _, b := range p.PublicBlockers {
		h.Write([]byte(b))
	}
}

func writeInts(h hash.Hash, xs ...int64) {
	var b [8]byte
	for _, x := range xs {
		binary.LittleEndian.PutUint64(b[:], uint64(x))
		h.Write(b[:])
	}
}
