# Declarations for the compiled core (Cython reads this beside tokenize.py; the pure-Python twin
# ignores it). `Token` becomes an extension type with the fields of its `__slots__` (objects
# only: Python's semantics), so that typed code reads them as C fields: `tokenize` here, and
# the checker's per-word tests (checker.pxd cimports it).
cimport cython

cdef class Token:
    cdef public object start, end, text, norm, kind, sentence, sentence_start, valid, shift

# the tokens it makes are written field by field; its pieces' run caches are read as dicts
@cython.locals(tok=Token, tokens=list, cache=dict, inside=dict, starting=dict, line=str, piece=str,
               n=Py_ssize_t)
cpdef object tokenize(object text)

@cython.locals(t=Token)
cpdef list _sentence_runs(object tokens)
