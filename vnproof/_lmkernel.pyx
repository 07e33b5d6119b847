# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""The n-gram searches of `vnproof.lm` as C loops over the memory-mapped arrays (issue #14).

A typed kernel, not a compiled copy of a .py: the numpy code of `lm.py` is its pure-Python twin
and the reference, and every function here returns exactly what that code returns (the same
positions, found masks and float32/float64 values, the same IndexError for an id out of range).
`lm.py` uses it when it is built and `VNPROOF_PURE_PYTHON` is not set (`vnproof/_impl.py`).

Each sorted key array gets a prefix index at load: for the first id p of a key (the key's top
bits above `shift`), the first position of a key with that prefix. A search is then a binary
search inside one prefix's range (tens of keys on average, in one or two cache lines), instead of
22 levels over the 32 MB of trigram keys, and the searches of a batch advance in lockstep so
their cache misses overlap. No array is copied; the index is 8 bytes per vocabulary id and
array (about 1 MB for the shipped model), each entry found the first time it is needed.
`Model.score_options` goes further for a trigram whose context bigram it has found: it searches
only that context's trigrams (3 on average), found through a lazily filled array indexed by the
context's bigram position.

The bigram keys also get a hash table (`Keys.lookup`), built on their first lookup: one probe,
mostly one cache line, instead of the prefix index and a binary search over two or three lines
(8 bytes a slot, at least 2 slots a key: 32 MB for the shipped model's 1.25M bigrams, resident
once built, in about 0.1 s).
It answers a found key's position exactly; a key that is not found gets no position from it, so
the searches whose callers read a position of a key not found (`bigram_positions`, as the numpy
twin answers it: the lower bound clipped to n - 1) still find those by the binary search.

Bounds are checked by hand where untrusted values reach an index (ids, given positions); the
searches' own indices are in range by construction.
"""
from libc.stdint cimport int64_t, uint8_t, uint16_t, uint32_t, uint64_t

import numpy as np

cdef extern from *:
    void __builtin_prefetch(const void*) noexcept nogil

cdef enum:
    BITS = 21                # as lm.BITS
    MAX_PREFIXES = 1 << 22   # ids are below 2**21; a larger prefix falls in the last range
    GROUP = 32               # binary searches run in lockstep (memory-level parallelism)
    HGROUP = 16              # hash probes whose slots are prefetched together


cdef inline uint64_t _mix(uint64_t x) noexcept nogil:
    """A key's hash (murmur3's finaliser, one round). On the shipped bigrams, linear probing at
    load 0.3 then needs 1.2 probes for a key found and 1.5 for one not found (at load 0.6: 1.7
    and 3.5; a Fibonacci multiply alone: 2.5 and 6.4 there)."""
    x ^= x >> 33
    x *= <uint64_t>0xff51afd7ed558ccdULL
    x ^= x >> 33
    return x


cdef inline bint _in(int64_t i, Py_ssize_t n) noexcept:
    """Whether i indexes an array of n as it is (`_wrap`'s fast case, tested where it is used)."""
    return <uint64_t>i < <uint64_t>n


cdef inline Py_ssize_t _wrap(int64_t i, Py_ssize_t n) except -1:
    """numpy's fancy-index rule: negative ids count from the end; out of range raises."""
    if 0 <= i < n:
        return <Py_ssize_t>i
    return _wrap_slow(i, n)


cdef Py_ssize_t _wrap_slow(int64_t i, Py_ssize_t n) except -1:
    if i < 0:
        i += n
    if i < 0 or i >= n:
        raise IndexError(f"index {i if i >= 0 else i - n} is out of bounds for axis 0 with size {n}")
    return <Py_ssize_t>i


cdef inline int _check(int64_t c, Py_ssize_t nuni, int64_t b, Py_ssize_t nbow) except -1:
    """numpy's IndexError where uni[c] + uni_bow[b] would raise one (c first): the ids checked
    when a query is made can then be read only where the query needs them (`_index`)."""
    if <uint64_t>c >= <uint64_t>nuni:
        _wrap_slow(c, nuni)
    if <uint64_t>b >= <uint64_t>nbow:
        _wrap_slow(b, nbow)
    return 0


cdef inline Py_ssize_t _index(int64_t i, Py_ssize_t n) noexcept:
    """`_wrap` for an id `_check` let through."""
    return <Py_ssize_t>(i + n if i < 0 else i)


cdef class Keys:
    """A sorted uint64 key array with its prefix index, filled as prefixes are first asked for:
    building it whole would read every page of the keys at load (42 MB more resident, 0.2 s)."""

    cdef const uint64_t[::1] keys
    cdef int64_t[::1] start       # start[p]: first position of a key >= p << shift, -1 until known
    cdef object _start
    cdef Py_ssize_t n, nprefix
    cdef int shift
    # The hash table (`hashed` keys, built by the first `lookup`): a power of two >= 2n slots,
    # each 0 (empty) or key << pbits | (position + 1), probed linearly from the top bits of
    # _mix(key). hstate: 0 not built yet, 1 built, -1 none (`hashed` not asked, no keys, or a
    # key and its position do not fit in 64 bits): `lookup` is then `search`.
    cdef uint64_t[::1] table
    cdef object _table
    cdef uint64_t tmask
    cdef int pbits, tshift, hstate

    def __init__(self, keys, int shift, bint hashed=False):
        self.keys = keys
        self.n = keys.shape[0]
        self.shift = shift
        self.hstate = 0 if hashed and self.n else -1
        self.nprefix = 0 if self.n == 0 else <Py_ssize_t>min((self.keys[self.n - 1] >> shift) + 1, MAX_PREFIXES)
        self._start = np.full(self.nprefix + 1, -1, np.int64)
        self.start = self._start

    cdef inline Py_ssize_t bound(self, Py_ssize_t p) noexcept:
        """start[p], found by a binary search the first time (the GIL is held: no race)."""
        cdef Py_ssize_t lo = self.start[p], hi, mid
        cdef uint64_t key
        if lo >= 0:
            return lo
        key = (<uint64_t>p) << self.shift
        lo, hi = 0, self.n
        while lo < hi:
            mid = lo + ((hi - lo) >> 1)
            if self.keys[mid] < key:
                lo = mid + 1
            else:
                hi = mid
        self.start[p] = lo
        return lo

    cdef void search(self, const uint64_t* q, Py_ssize_t m, int64_t* pos, uint8_t* found) noexcept:
        """`find` for m keys, GROUP at a time: the binary searches of a group advance in lockstep,
        branch-free, so their cache misses overlap instead of waiting one after another."""
        cdef Py_ssize_t base[GROUP]
        cdef Py_ssize_t cnt[GROUP]
        cdef Py_ssize_t g0, j, k, rounds, lo, hi, n = self.n
        cdef uint64_t p
        g0 = 0
        while g0 < m:
            k = min(<Py_ssize_t>GROUP, m - g0)
            rounds = 0
            for j in range(k):
                p = q[g0 + j] >> self.shift
                if p < <uint64_t>self.nprefix:
                    lo, hi = self.bound(p), self.bound(p + 1)
                else:
                    lo, hi = self.bound(self.nprefix), n
                cnt[j] = hi - lo
                base[j] = lo if lo < n else n - 1   # an empty range at the end answers n - 1 anyway
                rounds = max(rounds, cnt[j])
            self._lockstep(q + g0, k, base, cnt, rounds, pos + g0, found + g0)
            g0 += k

    cdef inline Py_ssize_t find_in(self, uint64_t x, Py_ssize_t lo, Py_ssize_t hi) noexcept:
        """The position of key x in the keys [lo, hi), a range known to hold every key with its
        prefix (for a trigram, its context's: `Model.context_start`), or -1. One branch-free
        binary search of its own length: a range is mostly a few keys, but some contexts have
        thousands, and searches run in lockstep would all take as many rounds as the longest."""
        cdef Py_ssize_t cnt = hi - lo, half
        if cnt <= 0:
            return -1
        while cnt > 1:
            half = cnt >> 1
            lo += half * (self.keys[lo + half] < x)
            cnt -= half
        lo += self.keys[lo] < x   # the first key >= x (lo is the last one below x, or the first)
        return lo if lo < hi and self.keys[lo] == x else -1

    cdef inline Py_ssize_t find(self, uint64_t x) noexcept:
        """The position of key x, or -1: `find_in` the range of its prefix."""
        cdef uint64_t p = x >> self.shift
        if p < <uint64_t>self.nprefix:
            return self.find_in(x, self.bound(p), self.bound(p + 1))
        return self.find_in(x, self.bound(self.nprefix), self.n)

    cdef inline void _lockstep(self, const uint64_t* q, Py_ssize_t k, Py_ssize_t* base, Py_ssize_t* cnt,
                               Py_ssize_t rounds, int64_t* pos, uint8_t* found) noexcept:
        """k binary searches, query j in the cnt[j] keys from base[j]: position and found flag."""
        cdef Py_ssize_t j, half, r, n = self.n
        cdef uint64_t x
        while rounds > 1:   # each round halves every range still longer than one key
            for j in range(k):
                half = cnt[j] >> 1   # 0 for a finished search: it reads keys[base] again
                base[j] += half * (self.keys[base[j] + half] < q[j])
                cnt[j] -= half
            rounds -= rounds >> 1
        for j in range(k):
            x = q[j]
            r = base[j]
            if cnt[j] and self.keys[r] < x:
                r += 1
            if r >= n:
                r = n - 1
            pos[j] = r
            found[j] = self.keys[r] == x

    cdef int _build(self) except -1:
        """The hash table over the keys (hstate 1), or hstate -1 where they do not fit in it."""
        cdef Py_ssize_t i, n = self.n
        cdef int kbits = 0, pbits = 0, lg = 1
        cdef uint64_t h, e, last = self.keys[n - 1], mask
        while kbits < 64 and (last >> kbits):
            kbits += 1
        while pbits < 64 and ((<uint64_t>n) >> pbits):   # positions + 1 go up to n
            pbits += 1
        if kbits + pbits > 64:
            self.hstate = -1
            return 0
        while ((<Py_ssize_t>1) << lg) < 2 * n:
            lg += 1
        self._table = np.zeros((<Py_ssize_t>1) << lg, np.uint64)
        self.table = self._table
        self.tmask = mask = (<uint64_t>1 << lg) - 1
        self.tshift, self.pbits = 64 - lg, pbits
        for i in range(n):
            e = self.keys[i]
            if i and e == self.keys[i - 1]:
                continue   # a repeated key: its first position, as the binary search finds
            h = _mix(e) >> self.tshift
            while self.table[h]:
                h = (h + 1) & mask
            self.table[h] = (e << pbits) | <uint64_t>(i + 1)
        self.hstate = 1
        return 0

    cdef int lookup(self, const uint64_t* q, Py_ssize_t m, int64_t* pos, uint8_t* found, bint exact) except -1:
        """Found flag and, for a found key, position of m keys (as `search`), through the hash
        table; a key not found gets position 0, or with `exact` the one `search` gives it."""
        cdef Py_ssize_t g0, j, k, miss = 0
        cdef uint64_t h[HGROUP]
        cdef uint64_t x, e, pmask
        cdef int pbits
        if self.hstate == 0:
            self._build()
        if self.hstate < 0:
            self.search(q, m, pos, found)
            return 0
        pbits = self.pbits
        pmask = ((<uint64_t>1) << pbits) - 1
        g0 = 0
        while g0 < m:
            k = min(<Py_ssize_t>HGROUP, m - g0)
            for j in range(k):   # every slot of the group asked for before the first is read
                h[j] = _mix(q[g0 + j]) >> self.tshift
                __builtin_prefetch(&self.table[h[j]])
            for j in range(k):
                x = q[g0 + j]
                while True:
                    e = self.table[h[j]]
                    if e == 0:
                        pos[g0 + j], found[g0 + j] = 0, 0
                        miss += 1
                        break
                    if (e >> pbits) == x:
                        pos[g0 + j], found[g0 + j] = <int64_t>((e & pmask) - 1), 1
                        break
                    h[j] = (h[j] + 1) & self.tmask
            g0 += k
        if exact and miss:
            self._search_misses(q, m, pos, found, miss)
        return 0

    cdef int _search_misses(self, const uint64_t* q, Py_ssize_t m, int64_t* pos, uint8_t* found,
                            Py_ssize_t miss) except -1:
        """`search` for the keys `lookup` did not find: the position the binary search gives."""
        sub = np.empty(miss, np.uint64)
        at = np.empty(miss, np.intp)
        sub_w = np.zeros(miss, np.int64)
        sub_h = np.zeros(miss, np.uint8)
        cdef uint64_t[::1] Q = sub
        cdef Py_ssize_t[::1] A = at
        cdef int64_t[::1] W = sub_w
        cdef uint8_t[::1] H = sub_h
        cdef Py_ssize_t i, j = 0
        for i in range(m):
            if not found[i]:
                Q[j], A[j] = q[i], i
                j += 1
        self.search(&Q[0], miss, &W[0], &H[0])
        for j in range(miss):
            pos[A[j]] = W[j]   # H[j] is 0: the key is not there
        return 0

    def positions(self, const uint64_t[::1] query):
        """(position, found) of each query key, as `lm._positions` finds them."""
        cdef Py_ssize_t m = query.shape[0]
        pos = np.zeros(m, np.intp)
        found = np.zeros(m, bool)
        if self.n == 0 or m == 0:
            return pos, found
        cdef int64_t[::1] P = pos
        cdef uint8_t[::1] F = found.view(np.uint8)
        self.lookup(&query[0], m, &P[0], &F[0], True)
        return pos, found


cdef class Model:
    """One `NgramModel`'s arrays, viewed without copies, and its two key indices."""

    cdef Keys tri, bi
    cdef const uint8_t[::1] tri_codes
    cdef const float[::1] tri_f32, book, uni, uni_bow
    cdef const uint16_t[::1] bi_logp16, bi_bow16
    cdef const float[::1] f16   # every binary16 value as float32 (numpy's float16.astype(float32))
    cdef const float[::1] bi_logp32, bi_bow32
    cdef bint coded, half, closed
    # ctx[P]: 1 + the position of the first trigram whose context is bigram P (0 until asked;
    # zeroed pages stay unmapped until written): a trigram is then searched among its context's
    # few trigrams instead of among all that share its first token.
    cdef int64_t[::1] ctx
    cdef object _ctx

    def __init__(self, tri_keys, tri_logp, tri_book, bi_keys, bi_logp, bi_bow, uni, uni_bow,
                 bint closed=False):
        """`closed`: every trigram's context (a, b) and suffix (b, c) are bigrams of the model
        (`lm.trigram_closure`), so a trigram whose given bigrams were not both found is absent
        and is not searched."""
        self.closed = closed
        self.tri = Keys(tri_keys, 2 * BITS)
        self.bi = Keys(bi_keys, BITS, True)
        self._ctx = np.zeros(self.bi.n + 1, np.int64)
        self.ctx = self._ctx
        self.coded = tri_book is not None
        if self.coded:
            self.tri_codes, self.book = tri_logp, tri_book
        else:
            self.tri_f32 = tri_logp
        self.half = bi_logp.dtype == np.float16
        if self.half:
            self.bi_logp16, self.bi_bow16 = bi_logp.view(np.uint16), bi_bow.view(np.uint16)
            self.f16 = np.arange(1 << 16).astype(np.uint16).view(np.float16).astype(np.float32)
        else:
            self.bi_logp32, self.bi_bow32 = bi_logp, bi_bow
        self.uni, self.uni_bow = uni, uni_bow

    cdef inline Py_ssize_t context_start(self, Py_ssize_t P) noexcept:
        """The first trigram position with a key >= bigram P's key followed by id 0 (P = the
        number of bigrams: the end). [context_start(P), context_start(P + 1)) holds every trigram
        whose context is bigram P, as the keys of both arrays are sorted."""
        cdef Py_ssize_t v, lo, hi, mid
        cdef uint64_t key, a
        if P >= self.bi.n:
            return self.tri.n
        v = self.ctx[P]
        if v:
            return v - 1
        key = self.bi.keys[P] << BITS
        a = self.bi.keys[P] >> BITS   # the trigrams' prefix: their first id
        if a < <uint64_t>self.tri.nprefix:
            lo, hi = self.tri.bound(a), self.tri.bound(a + 1)
        else:
            lo, hi = self.tri.bound(self.tri.nprefix), self.tri.n
        while lo < hi:
            mid = lo + ((hi - lo) >> 1)
            if self.tri.keys[mid] < key:
                lo = mid + 1
            else:
                hi = mid
        self.ctx[P] = lo + 1
        return lo

    def bigram_positions(self, const int64_t[::1] ids, const int64_t[::1] b, const int64_t[::1] c):
        """(position, found) of the bigrams (ids[b], ids[c]) in `bi_keys`; `ids` maps the
        caller's token indices to this model's ids (None: they are the model's ids)."""
        cdef Py_ssize_t i, m = c.shape[0], nid = 0 if ids is None else ids.shape[0]
        cdef int64_t x, y
        if b.shape[0] != m:
            raise ValueError("b and c must have the same length")
        pos = np.zeros(m, np.intp)
        found = np.zeros(m, bool)
        query = np.empty(m, np.uint64)
        cdef uint64_t[::1] Q = query
        for i in range(m):
            x, y = b[i], c[i]
            if ids is not None:
                x, y = ids[_wrap(x, nid)], ids[_wrap(y, nid)]
            Q[i] = ((<uint64_t>x) << BITS) | <uint64_t>y
        cdef int64_t[::1] P = pos
        cdef uint8_t[::1] F = found.view(np.uint8)
        if self.bi.n and m:
            self.bi.lookup(&Q[0], m, &P[0], &F[0], True)
        return pos, found

    def logprob(self, const int64_t[::1] a, const int64_t[::1] b, const int64_t[::1] c,
                bigrams=None, bint lower=False):
        """`NgramModel.logprob` before the bigram share: the natural-log probability (float64),
        and with `lower` also the float32 log10 trigram result and its lower order (for the share).
        `bigrams`: ((position, found) of each (b, c), (position, found) of each (a, b)), or None."""
        cdef Py_ssize_t i, j, m = c.shape[0], nbi = self.bi.n, nuni = self.uni.shape[0]
        cdef Py_ssize_t nbow = self.uni_bow.shape[0]
        cdef uint64_t ua, ub, uc
        cdef float uni_v, low, o
        cdef const int64_t[::1] pb, pc
        cdef const uint8_t[::1] fb, fc
        cdef int64_t[:, ::1] RF
        if a.shape[0] != m or b.shape[0] != m:
            raise ValueError("a, b and c must have the same length")
        result = np.empty(m, np.float64)
        out32 = np.empty(m if lower else 0, np.float32)
        low32 = np.empty(m if lower else 0, np.float32)
        if m == 0:
            return (result, out32, low32) if lower else result
        # Every key first, then the searches (in lockstep groups), then the arithmetic.
        keys = np.empty(3 * m, np.uint64)
        where = np.zeros(3 * m, np.int64)
        hits = np.zeros(3 * m, np.uint8)
        cdef uint64_t[::1] K = keys
        cdef int64_t[::1] W = where
        cdef uint8_t[::1] H = hits
        for i in range(m):
            ua, ub, uc = <uint64_t>a[i], <uint64_t>b[i], <uint64_t>c[i]
            K[i] = (ua << (2 * BITS)) | (ub << BITS) | uc
            K[m + i] = (ub << BITS) | uc     # p2(c | b)
            K[2 * m + i] = (ua << BITS) | ub  # the context's backoff
        if bigrams is not None and nbi:
            (pb_, fb_), (pc_, fc_) = bigrams
            pb, fb, pc, fc = pb_, fb_.view(np.uint8), pc_, fc_.view(np.uint8)
            if pb.shape[0] != m or fb.shape[0] != m or pc.shape[0] != m or fc.shape[0] != m:
                raise ValueError("the given bigram positions must match the queries")
            for i in range(m):   # numpy reads values[pos] found or not: a bad position raises
                W[m + i], H[m + i] = _wrap(pb[i], nbi), fb[i] != 0
                W[2 * m + i], H[2 * m + i] = _wrap(pc[i], nbi), fc[i] != 0
            if self.tri.n:
                ref = np.empty((2, m), np.int64)   # where each query's (b, c) and (a, b) were found
                RF = ref
                for i in range(m):
                    RF[0, i], RF[1, i] = m + i, 2 * m + i
                self._search_trigrams(m, K, W, H, RF, H, W)
        else:
            if self.tri.n:
                self.tri.search(&K[0], m, &W[0], &H[0])
            if nbi:   # a bigram not found is not read (`_log10`): its position does not matter
                self.bi.lookup(&K[m], 2 * m, &W[m], &H[m], False)
        cdef double[::1] R = result
        cdef float[::1] O = out32, L = low32
        cdef double ln10 = LN10
        for i in range(m):
            # uni[c] + uni_bow[b], indexed as numpy indexes (negative ids from the end)
            uni_v = self.uni[_wrap(c[i], nuni)] + self.uni_bow[_wrap(b[i], nbow)]
            o = self._log10(H[i], W[i], H[m + i], W[m + i], H[2 * m + i], W[2 * m + i], uni_v, &low)
            R[i] = (<double>o) * ln10
            if lower:
                O[i], L[i] = o, low
        return (result, out32, low32) if lower else result

    cdef inline float _log10(self, bint tf, Py_ssize_t tj, bint bf, Py_ssize_t bj, bint cf, Py_ssize_t cj,
                             float uni_v, float* low) noexcept:
        """log10 p(c | a b) of one query (float32, as the numpy code computes it) from its found
        trigram (tf, at tj), bigram (b, c) (bf, bj), context (a, b) (cf, cj) and unigram part
        uni[c] + uni_bow[b]; `low` gets the lower order (the bigram, else the unigram part)."""
        cdef float tri_v = 0.0, bi_v = 0.0, ctx_v = 0.0
        if tf:
            tri_v = self._tri(tj)
        if bf:
            bi_v = self._bi_logp(bj)
        if cf:
            ctx_v = self._bi_bow(cj)
        low[0] = bi_v if bf else uni_v
        return tri_v if tf else ctx_v + low[0]

    cdef inline float _tri(self, Py_ssize_t j) noexcept:
        """log10 p of the trigram at j."""
        return self.book[self.tri_codes[j]] if self.coded else self.tri_f32[j]

    cdef inline float _bi_logp(self, Py_ssize_t j) noexcept:
        """log10 p of the bigram at j."""
        return self.f16[self.bi_logp16[j]] if self.half else self.bi_logp32[j]

    cdef inline float _bi_bow(self, Py_ssize_t j) noexcept:
        """The backoff weight of the bigram at j."""
        return self.f16[self.bi_bow16[j]] if self.half else self.bi_bow32[j]

    def score_options(self, const int64_t[::1] ids, const int64_t[::1] flat, const int64_t[::1] at,
                      const int64_t[::1] ends, const int64_t[::1] sizes, const int64_t[::1] cand,
                      const double[::1] cand_prior, const double[::1] slot_err,
                      const double[::1] own_prior, const uint8_t[::1] keep_all, int64_t eos,
                      int64_t unk, double unk_share):
        """Every option of every slot scored in its sentence in one pass: what
        `vnproof.checker.Checker._contest` (its twin) computes with `MixedModel.bigram_lookup` and
        `score_ids` for this model alone, bit for bit.

        Tokens are the caller's indices, mapped to this model's ids by `ids`. Slot k sits at
        flat[at[k]] in a sentence that ends at ends[k] (flat holds [BOS, BOS] + tokens + [EOS] per
        sentence). Its options are its own token, then sizes[k] - 1 candidates from `cand`, with
        priors own_prior[k] and cand_prior + slot_err[k]. An option that has no seen bigram with
        either neighbour is dropped where the own token has one, unless keep_all[k]. The kept
        options' LM score is the natural log of their trigrams' probabilities, (L2 L1 F),
        (L1 F R1) and, unless R1 ends the sentence, (F R1 R2); `unk_share` is added to each whose
        predicted token is `unk`.

        Returns, for the kept options in order: slot, option index (-1 for the own token), prior,
        LM score, and whether the bigrams with the left and right neighbour were seen."""
        cdef Py_ssize_t n = at.shape[0], nid = ids.shape[0], nflat = flat.shape[0], ncand = cand.shape[0]
        cdef Py_ssize_t nuni = self.uni.shape[0], nbow = self.uni_bow.shape[0], lim = min(nuni, nbow)
        cdef Py_ssize_t k, o, q, c, p, own, big, kept = 0, t = 0, ntri = 0, N = 0
        cdef int64_t f, l2, l1, r1, r2
        cdef bint m2, share = unk_share != 0.0
        cdef float v
        cdef double s, ln10 = LN10
        if sizes.shape[0] != n or ends.shape[0] != n or slot_err.shape[0] != n or own_prior.shape[0] != n \
                or keep_all.shape[0] != n or cand_prior.shape[0] != ncand:
            raise ValueError("the slots' arrays must have one entry per slot, the candidates' one per candidate")
        for k in range(n):
            if sizes[k] < 1:
                raise ValueError("every slot has its own option")
            if at[k] < 2 or at[k] + 1 >= nflat or ends[k] > nflat or at[k] >= ends[k]:
                raise ValueError("a slot's position is outside its sentence")
            N += sizes[k]
        if N - n != ncand:
            raise ValueError("the sizes do not match the candidates")
        if n == 0:
            empty = np.zeros(0, np.int64)
            return empty, empty.copy(), np.zeros(0), np.zeros(0), np.zeros(0, bool), np.zeros(0, bool)
        if self.bi.n == 0:
            raise ValueError("a model without bigrams is scored by the numpy code")
        # Per slot: neighbours (model ids), and whether a second token follows on the right.
        nb = np.empty((5, n), np.int64)
        cdef int64_t[:, ::1] NB = nb
        eos = ids[_wrap(eos, nid)]
        for k in range(n):
            p = at[k]
            NB[0, k] = ids[_wrap(flat[p - 2], nid)]
            NB[1, k] = ids[_wrap(flat[p - 1], nid)]
            NB[2, k] = ids[_wrap(flat[p + 1], nid)]
            m2 = p + 2 < ends[k]
            NB[3, k] = ids[_wrap(flat[p + 2], nid)] if m2 else eos
            NB[4, k] = m2
        # Every option's bigrams with its neighbours, then each slot's (L2 L1) and (R1 R2): one
        # search, in lockstep groups.
        big = 2 * N + 2 * n
        fid = np.empty(N, np.int64)
        keys = np.empty(big, np.uint64)
        where = np.empty(big, np.int64)   # `lookup` writes every entry
        hits = np.empty(big, np.uint8)
        cdef int64_t[::1] FI = fid, W = where
        cdef uint64_t[::1] Q = keys
        cdef uint8_t[::1] H = hits
        o = c = 0
        for k in range(n):
            l2, l1, r1, r2 = NB[0, k], NB[1, k], NB[2, k], NB[3, k]
            for q in range(sizes[k]):
                f = flat[at[k]] if q == 0 else cand[c + q - 1]
                f = ids[f if _in(f, nid) else _wrap(f, nid)]
                FI[o] = f
                Q[o] = ((<uint64_t>l1) << BITS) | <uint64_t>f
                Q[N + o] = ((<uint64_t>f) << BITS) | <uint64_t>r1
                o += 1
            c += sizes[k] - 1
            Q[2 * N + k] = ((<uint64_t>l2) << BITS) | <uint64_t>l1
            Q[2 * N + n + k] = ((<uint64_t>r1) << BITS) | <uint64_t>r2
        # A bigram's position is read only where it was found (`_trigram`, `_context`).
        self.bi.lookup(&Q[0], big, &W[0], &H[0], False)
        # The options kept.
        keep = np.empty(N, np.int64)
        slot = np.empty(N, np.int64)
        cdef int64_t[::1] KP = keep, SL = slot
        o = 0
        for k in range(n):
            own = o
            for q in range(sizes[k]):
                if q == 0 or H[o] or H[N + o] or not (H[own] or H[N + own]) or keep_all[k]:
                    KP[kept], SL[kept] = o, k
                    kept += 1
                    ntri += 2 + NB[4, k]
                o += 1
        # Their trigrams, in scoring order: where each is searched (`_context`), and the ids of
        # their unigram parts checked, in the order numpy reads them.
        where_tri = np.empty(ntri, np.int64)
        cdef int64_t[::1] TP = where_tri
        for q in range(kept):
            o, k = KP[q], SL[q]
            f, l2, l1, r1, r2 = FI[o], NB[0, k], NB[1, k], NB[2, k], NB[3, k]
            if not (_in(f, lim) and _in(l1, lim) and _in(r1, lim) and _in(r2, lim)):
                _check(f, nuni, l1, nbow)
                _check(r1, nuni, f, nbow)
                if NB[4, k]:
                    _check(r2, nuni, r1, nbow)
            TP[t] = self._context(H[o], H[2 * N + k], W[2 * N + k])
            TP[t + 1] = self._context(H[N + o], H[o], W[o])
            t += 2
            if NB[4, k]:
                TP[t] = self._context(H[2 * N + n + k], H[N + o], W[N + o])
                t += 1
        # Scores: (L2 L1 F), (L1 F R1), (F R1 R2), each trigram searched as it is scored, its
        # `ctx` entry (a random read in 8 bytes per bigram) prefetched HGROUP trigrams ahead.
        cdef const int64_t* tp = &TP[0]
        for t in range(min(ntri, <Py_ssize_t>HGROUP)):
            self._prefetch_context(tp, t, ntri)
        out_prior = np.empty(kept, np.float64)
        out_lm = np.empty(kept, np.float64)
        out_opt = np.empty(kept, np.int64)
        ev_l = np.empty(kept, bool)
        ev_r = np.empty(kept, bool)
        cdef double[::1] OP = out_prior, OL = out_lm
        cdef int64_t[::1] OO = out_opt
        cdef uint8_t[::1] EL = ev_l.view(np.uint8), ER = ev_r.view(np.uint8)
        cdef Py_ssize_t first = 0, prev = -1
        cdef const uint8_t* h = &H[0]
        cdef const int64_t* w = &W[0]
        t = 0
        c = 0   # the slot's first candidate in `cand`
        for q in range(kept):
            o, k = KP[q], SL[q]
            if k != prev:   # a new slot: its first option (its own token) is kept first
                if prev >= 0:
                    c += sizes[prev] - 1
                first, prev = o, k
            f, l2, l1, r1, r2 = FI[o], NB[0, k], NB[1, k], NB[2, k], NB[3, k]
            self._prefetch_context(tp, t + HGROUP, ntri)
            v = self._trigram(l2, l1, f, TP[t], o, 2 * N + k, h, w)
            s = 0.0
            s += (<double>v) * ln10 + unk_share if share and f == unk else (<double>v) * ln10
            self._prefetch_context(tp, t + 1 + HGROUP, ntri)
            v = self._trigram(l1, f, r1, TP[t + 1], N + o, o, h, w)
            s += (<double>v) * ln10 + unk_share if share and r1 == unk else (<double>v) * ln10
            t += 2
            if NB[4, k]:
                self._prefetch_context(tp, t + HGROUP, ntri)
                v = self._trigram(f, r1, r2, TP[t], 2 * N + n + k, N + o, h, w)
                s += (<double>v) * ln10 + unk_share if share and r2 == unk else (<double>v) * ln10
                t += 1
            OL[q] = s
            OO[q] = o - first - 1
            OP[q] = own_prior[k] if o == first else cand_prior[c + (o - first - 1)] + slot_err[k]
            EL[q], ER[q] = H[o], H[N + o]
        return slot[:kept], out_opt, out_prior, out_lm, ev_l, ev_r

    cdef int _search_trigrams(self, Py_ssize_t m, const uint64_t[::1] K, int64_t[::1] W, uint8_t[::1] H,
                              const int64_t[:, ::1] RF, const uint8_t[::1] BH, const int64_t[::1] BW) except -1:
        """The trigram searches of `logprob` given its bigrams (the first m keys of K), each where
        `_context` says from its bigram (b, c) and context (a, b) (flags BH and positions BW at
        RF[0, i] and RF[1, i]); one not found gets position 0."""
        cdef Py_ssize_t i, r
        for i in range(m):   # W[i]: where the trigram is searched, until it is
            W[i] = self._context(BH[RF[0, i]], BH[RF[1, i]], BW[RF[1, i]])
        for i in range(min(m, <Py_ssize_t>HGROUP)):
            self._prefetch_context(&W[0], i, m)
        for i in range(m):
            self._prefetch_context(&W[0], i + HGROUP, m)
            r = self._find_trigram(K[i], W[i])
            W[i] = r if r >= 0 else 0
            H[i] = r >= 0
        return 0

    cdef inline Py_ssize_t _context(self, bint bf, bint cf, Py_ssize_t cj) noexcept:
        """Where a trigram is searched, from its bigram (b, c) (found: bf) and its context (a, b)
        (found: cf, at cj): among the context's trigrams (cj); nowhere (-1), where a closed model
        (`__init__`) has none or there are no trigrams; else among all with its first id (-2)."""
        if self.tri.n == 0:
            return -1
        if cf and (bf or not self.closed):
            return cj
        return -1 if self.closed else -2

    cdef inline Py_ssize_t _find_trigram(self, uint64_t x, Py_ssize_t P) noexcept:
        """The position of trigram x searched where P (`_context`) says, or -1."""
        if P >= 0:
            return self.tri.find_in(x, self.context_start(P), self.context_start(P + 1))
        return -1 if P == -1 else self.tri.find(x)

    cdef inline void _prefetch_context(self, const int64_t* tp, Py_ssize_t t, Py_ssize_t m) noexcept:
        """The `ctx` entry of trigram t (< m) searched at tp[t] (`_context`), asked for early: a
        random read in 8 bytes per bigram."""
        if t < m and tp[t] >= 0:
            __builtin_prefetch(&self.ctx[tp[t]])

    cdef inline float _trigram(self, int64_t a, int64_t b, int64_t c, Py_ssize_t P, Py_ssize_t i, Py_ssize_t j,
                               const uint8_t* h, const int64_t* w) noexcept:
        """`_log10` of the trigram (a, b, c), searched where P (`_context`) says, from its bigram
        (b, c) and context (a, b) (found h[i], h[j], at w[i], w[j]) and, b and c `_check`ed, its
        unigram part: reading only what the result needs."""
        cdef uint64_t x = ((<uint64_t>a) << (2 * BITS)) | ((<uint64_t>b) << BITS) | <uint64_t>c
        cdef Py_ssize_t r = self._find_trigram(x, P)
        cdef float low, ctx_v = 0.0
        if r >= 0:
            return self._tri(r)
        if h[i]:
            low = self._bi_logp(w[i])
        else:
            low = self.uni[_index(c, self.uni.shape[0])] + self.uni_bow[_index(b, self.uni_bow.shape[0])]
        if h[j]:
            ctx_v = self._bi_bow(w[j])
        return ctx_v + low


LN10 = float(np.log(10.0))


def positions(const uint64_t[::1] keys, const uint64_t[::1] query):
    """`lm._positions` for any sorted key array (no prefix index: one full binary search each)."""
    cdef Py_ssize_t i, m = query.shape[0], n = keys.shape[0], lo, hi, mid
    cdef uint64_t q
    pos = np.zeros(m, np.intp)
    found = np.zeros(m, bool)
    if n == 0:
        return pos, found
    cdef int64_t[::1] P = pos
    cdef uint8_t[::1] F = found.view(np.uint8)
    with nogil:
        for i in range(m):
            q = query[i]
            lo, hi = 0, n
            while lo < hi:
                mid = lo + ((hi - lo) >> 1)
                if keys[mid] < q:
                    lo = mid + 1
                else:
                    hi = mid
            if lo >= n:
                lo = n - 1
            P[i] = lo
            F[i] = keys[lo] == q
    return pos, found
