# Declarations for the compiled core (Cython reads this beside checker.py; the pure-Python twin
# ignores it). `_Slot` becomes an extension type with the same attributes as its `__slots__`:
# its __init__ then stores into C fields instead of calling the generic setattr per attribute.
# The flags, counts and log P(error) are C values (read back as bool, int and float, as the
# .py stores them); the rest are objects, so the compiled class keeps their Python semantics.
cimport cython
from vnproof.tokenize cimport Token

cdef class _Slot:
    cdef public Py_ssize_t index, repeats
    cdef public bint nonword, unique, fence_left, fence_right
    cdef public double log_err
    cdef public Token token
    cdef public object typed, evidence, word_kinds, options, scores, lm, seen_left, seen_right

# Called once per word by `_sentences`: a C call, not a Python one; its tokens' fields are read
# as C fields (tokenize.pxd), its list items and indexes in C.
@cython.locals(t=Token, prev=Token, nxt=Token, n=Token, j=Py_ssize_t)
cpdef object _checkable(object checker, object t, str low, list sent, list entries, Py_ssize_t i,
                        object dictionary, object foreign_sentence)

@cython.locals(t=Token, i=Py_ssize_t, words=Py_ssize_t, marked=Py_ssize_t)
cpdef object _mostly_unmarked(list sent, list entries)

@cython.locals(t=Token, n=Token, i=Py_ssize_t, j=Py_ssize_t)
cpdef object _mark_foreign(object checker, list sent, list entries)

@cython.locals(cache=dict)
cpdef tuple _forms(object kind, object norm)

@cython.locals(t=Token, a=Token, b=Token, sent=list, entries=list, e=tuple, cache=dict, forms=dict,
               i=Py_ssize_t, n=Py_ssize_t)
cpdef tuple _sentences(object checker, object doc, object opts)

@cython.locals(slot=_Slot, after=dict, before=dict, found=dict, index=dict, position=dict, cache=dict,
               word_after=dict, word_before=dict)
cpdef tuple _candidates(object checker, object toks, object slot, object alone_left, object alone_right)

@cython.locals(small=dict, large=dict)
cpdef object _words_made(dict found, dict index, dict words, bint alone)

cpdef object _word_kind(object count, bint alone)

# The batch's per-slot loops read the slots' C fields.
@cython.locals(slot=_Slot, k=Py_ssize_t, n_slots=Py_ssize_t, flat=list, at=list, ends=list,
               slots_flat=list, slot_toks=list, rows=list, ids_raw=list,
               priors_raw=list, sizes=list, nonword=list, log_err=list, own_prior=list, inw=bint,
               base=dict, extra=dict, cache=dict, uncertain=list)
cpdef object _decode(object checker, object batch)

@cython.locals(s=_Slot, start=Py_ssize_t, size=Py_ssize_t, k=Py_ssize_t, p=Py_ssize_t, ids=list,
               lens=list, flat=list, at=list, codes=dict, distinct=list)
cpdef object _count_repeats(object sentences, object lexicon, object supported=*)

@cython.locals(t=Token)
cpdef list _keystroke_leftovers(object checker, object doc, object opts)
