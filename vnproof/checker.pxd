# Declarations for the compiled core (Cython reads this beside checker.py; the pure-Python twin
# ignores it). `_Slot` becomes an extension type with the same attributes as its `__slots__`:
# its __init__ then stores into C fields instead of calling the generic setattr per attribute.
# Objects only, so the compiled class keeps the Python semantics of every value.
cimport cython
from vnproof.tokenize cimport Token

cdef class _Slot:
    cdef public object index, token, typed, nonword, repeats, unique, evidence, word_kinds, log_err
    cdef public object options, scores, lm, seen_left, seen_right, fence_left, fence_right

# Called once per word by `_sentences`: a C call, not a Python one; its tokens' fields are read
# as C fields (tokenize.pxd).
@cython.locals(t=Token, prev=Token, nxt=Token, n=Token)
cpdef object _checkable(object checker, object t, object low, object sent, object i, object opts,
                        object foreign_sentence)

@cython.locals(t=Token)
cpdef object _mostly_unmarked(object sent)

@cython.locals(t=Token, n=Token)
cpdef object _mark_foreign(object checker, object sent)

@cython.locals(t=Token, a=Token, b=Token)
cpdef tuple _sentences(object checker, object doc, object opts)

@cython.locals(slot=_Slot)
cpdef tuple _candidates(object checker, object toks, object slot, object alone_left, object alone_right)
