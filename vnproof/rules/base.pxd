# Declarations for the compiled core (Cython reads this beside base.py; the pure-Python twin
# ignores it): the column pass reads each token's fields as C fields (tokenize.pxd).
cimport cython
from vnproof.tokenize cimport Token

@cython.locals(t=Token)
cpdef tuple _token_columns(object tokens)
