# Declarations for the compiled core (Cython reads this beside tokenize.py; the pure-Python twin
# ignores it). `Token` becomes an extension type with the fields of its `__slots__` (objects
# only: Python's semantics), so that typed code reads them as C fields: `tokenize` here, and
# the checker's per-word tests (checker.pxd cimports it).
cimport cython

cdef class Token:
    cdef public object start, end, text, norm, kind, sentence, sentence_start, valid, shift

# the tokens it makes are written field by field
@cython.locals(tok=Token)
cpdef object tokenize(object text)
