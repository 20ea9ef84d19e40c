"""Quiz services, one module per concern: ``files`` (the pool as GIFT files: import and
export), ``attempts`` (starting, saving and grading an attempt), ``results`` (a learner's
results and the review of an attempt) and ``analysis`` (item analysis and essays for
trainers). Services flush; the caller commits once."""
