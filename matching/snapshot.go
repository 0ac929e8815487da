package matching

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"runtime"
	"slices"

	"github.com/yurong/yurong/catalog"
)

// A snapshot holds the rows and columns of a full rematch, the costly part
// of a Rebuild, keyed by a hash of everything they were computed from: the
// snapshot format, the model version and configuration, the date, the
// engine's relations (top banks, links, models) and every entity the
// engine keeps, in its order. RebuildFrom uses a snapshot only when the
// key of its own inputs is the same, so a restored engine answers as a
// fresh rematch of the same inputs does; anything else is rematched
// (docs/adr/029-engine-memory-and-start-up.md).
//
// Layout: snapshotMagic, the 32-byte key, then every list of every row and
// column in the engine's order (uvarint length, a byte saying whether it
// was truncated and then its floor, the entries as little-endian words),
// then the CRC-32C of everything before it.

const snapshotMagic = "yrsnap01"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrNotPristine is WriteSnapshot's answer when anything changed the
// engine since its last full rematch (a write, a refresh on read, a slice
// tracked): its lists may no longer be what a rematch of its inputs gives,
// which a snapshot's key would promise.
var ErrNotPristine = errors.New("matching: the engine changed since its last full rematch")

// WriteSnapshot writes the engine's rows and columns to w, for RebuildFrom
// to restore. It works only right after a full rematch (Rebuild,
// RebuildFrom, Redate) and returns ErrNotPristine after any write.
func (e *Engine) WriteSnapshot(w io.Writer) error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.rematchedGen == 0 || e.rematchedGen != e.gen {
		return ErrNotPristine
	}
	key, err := e.inputsKey()
	if err != nil {
		return err
	}
	crc := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<20)
	bw.WriteString(snapshotMagic)
	bw.Write(key[:])
	var buf []byte
	put := func(l *topList) {
		buf = binary.AppendUvarint(buf[:0], uint64(len(l.items)))
		if l.truncated {
			buf = append(buf, 1)
			buf = binary.LittleEndian.AppendUint64(buf, uint64(l.floor))
		} else {
			buf = append(buf, 0)
		}
		for _, x := range l.items {
			buf = binary.LittleEndian.AppendUint64(buf, uint64(x))
		}
		bw.Write(buf)
	}
	e.eachList(func(l *topList, _ int) error {
		put(l)
		return nil
	})
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err = w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	return err
}

// RebuildFrom is Rebuild taking the rows and columns from snapshot, which
// WriteSnapshot wrote, when it was written from the same inputs; otherwise
// it rematches. It reports whether the snapshot was used, and why not when
// it was not (a snapshot of other inputs, or one unreadable or damaged);
// either way the engine is rebuilt from d.
func (e *Engine) RebuildFrom(d *catalog.Dataset, snapshot io.Reader) (restored bool, why error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reset(e.asOf)
	if e.tracking() {
		e.markAll()
		defer e.indexColumns()
	}
	e.prepare(d, e.asOf)
	key, err := e.inputsKey()
	if err == nil {
		err = e.readSnapshot(snapshot, key)
	}
	if err != nil {
		e.match()
	}
	e.rematchedGen = e.gen
	return err == nil, err
}

// errStale says a snapshot was written from other inputs.
var errStale = errors.New("matching: the snapshot is of other inputs")

// readSnapshot fills the rows and columns from r when its key is key. On
// an error the lists are partly filled, for match to overwrite.
func (e *Engine) readSnapshot(r io.Reader, key [sha256.Size]byte) error {
	br := &crcReader{r: bufio.NewReaderSize(r, 1<<20)}
	head := make([]byte, len(snapshotMagic)+len(key))
	if _, err := io.ReadFull(br, head); err != nil {
		return fmt.Errorf("matching: read the snapshot: %w", err)
	}
	if string(head[:len(snapshotMagic)]) != snapshotMagic {
		return errors.New("matching: not a snapshot of this format")
	}
	if [sha256.Size]byte(head[len(snapshotMagic):]) != key {
		return errStale
	}
	var buf []byte
	get := func(l *topList, capacity int) error {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return err
		}
		if n > uint64(capacity) {
			return errors.New("matching: a snapshot list longer than its capacity")
		}
		t, err := br.ReadByte()
		if err != nil {
			return err
		}
		*l = topList{truncated: t == 1}
		if l.truncated {
			if buf, err = readFull(br, buf, 8); err != nil {
				return err
			}
			l.floor = entry(binary.LittleEndian.Uint64(buf))
		}
		if buf, err = readFull(br, buf, 8*int(n)); err != nil {
			return err
		}
		if n > 0 {
			l.items = make([]entry, n)
		}
		for i := range l.items {
			l.items[i] = entry(binary.LittleEndian.Uint64(buf[8*i:]))
		}
		return nil
	}
	if err := e.eachList(get); err != nil {
		return fmt.Errorf("matching: read the snapshot: %w", err)
	}
	now := e.cfg.Today()
	for i := range e.rows {
		e.rows[i].at = now
	}
	for k := range e.cols {
		for r := range e.cols[k] {
			e.cols[k][r].at = now
		}
	}
	sum := br.crc
	var tail [4]byte
	if _, err := io.ReadFull(br.r, tail[:]); err != nil {
		return fmt.Errorf("matching: read the snapshot: %w", err)
	}
	if binary.LittleEndian.Uint32(tail[:]) != sum {
		return errors.New("matching: the snapshot is damaged (checksum)")
	}
	return nil
}

// eachList calls fn with every list of every row and then of every
// column, in the engine's order (a snapshot's), and the capacity of its
// kind of list; it stops at fn's first error.
func (e *Engine) eachList(fn func(l *topList, capacity int) error) error {
	for i := range e.rows {
		for k := range e.rows[i].lists {
			for j := range e.rows[i].lists[k] {
				if err := fn(&e.rows[i].lists[k][j], e.rowCap); err != nil {
					return err
				}
			}
		}
	}
	for k := range e.cols {
		for r := range e.cols[k] {
			for j := range e.cols[k][r].lists {
				if err := fn(&e.cols[k][r].lists[j], e.colCap); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func readFull(r io.Reader, buf []byte, n int) ([]byte, error) {
	buf = slices.Grow(buf[:0], n)[:n]
	_, err := io.ReadFull(r, buf)
	return buf, err
}

// snapshotFormat names what a snapshot's key covers; change it when the
// lists' meaning changes without the model version changing.
const snapshotFormat = "matching snapshot 1: entry = score shortfall<<50 | id"

// inputsKey hashes everything the rows and columns are computed from: the
// snapshot format, the model version and the configuration, the date, the
// relations, and the entities the engine keeps, in its order (each as
// JSON). The entities are hashed in parallel chunks. Call with the lock
// held.
func (e *Engine) inputsKey() ([sha256.Size]byte, error) {
	h := sha256.New()
	cfg := e.cfg
	cfg.Today, cfg.SharedInputs = nil, false // neither changes a score
	fmt.Fprintf(h, "%s\n%s\n%+v\n%s\n", snapshotFormat, e.modelVersion, cfg, e.asOf.Format("2006-01-02"))
	fmt.Fprintf(h, "%v\n%v\n%v\n", e.rel.topBanks, e.rel.links, e.rel.uses)
	for _, m := range e.rel.models {
		fmt.Fprintf(h, "%+v\n", *m)
	}
	var err error
	sum := func(name string, n int, src func(i int) any) {
		const chunk = 4096
		sums := make([][sha256.Size]byte, (n+chunk-1)/chunk)
		errs := make([]error, len(sums))
		parallel(len(sums), runtime.GOMAXPROCS(0), func(lo, hi int) {
			var c hash.Hash = sha256.New()
			enc := json.NewEncoder(c)
			for s := lo; s < hi; s++ {
				c.Reset()
				for i := s * chunk; i < min(n, (s+1)*chunk); i++ {
					if err := enc.Encode(src(i)); err != nil {
						errs[s] = err
					}
				}
				sums[s] = [sha256.Size]byte(c.Sum(nil))
			}
		})
		fmt.Fprintf(h, "%s %d\n", name, n)
		for _, s := range sums {
			h.Write(s[:])
		}
		if err == nil {
			err = errors.Join(errs...)
		}
	}
	sum("enterprises", len(e.ents), func(i int) any { return e.ents[i].src })
	sum("products", len(e.prods), func(i int) any { return e.prods[i].src })
	sum("incubators", len(e.incs), func(i int) any { return e.incs[i].src })
	sum("demands", len(e.dems), func(i int) any { return e.dems[i].src })
	if err != nil {
		return [sha256.Size]byte{}, fmt.Errorf("matching: hash the inputs: %w", err)
	}
	return [sha256.Size]byte(h.Sum(nil)), nil
}

// crcReader reads through a buffer, summing what it has read.
type crcReader struct {
	r   *bufio.Reader
	crc uint32
	one [1]byte
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.crc = crc32.Update(c.crc, castagnoli, p[:n])
	return n, err
}

func (c *crcReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.one[0] = b
		c.crc = crc32.Update(c.crc, castagnoli, c.one[:])
	}
	return b, err
}
