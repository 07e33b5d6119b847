"""Batch audit of archives: `vnproof audit PATH... -o OUTDIR`.

Modules, one idea each:

* `inputs`      find files; read .txt, .html/.htm (trafilatura), .jsonl/.csv, .warc into `Article`s
* `encodings`   TCVN3, VNI-Windows, VIQR, Windows-1258 and UTF-8 mojibake -> Unicode NFC
* `boilerplate` page furniture in plain-text copies of web pages
* `state`       resumable SQLite state (WAL); reports come out in input order
* `runner`      plain loop, process pool, or Dask cluster; checker loaded once per worker
* `learn`       --learn: archive n-gram model and consistent local spellings
* `report`      issues.jsonl, articles.csv, report.html
* `synth`       synthetic pages and typo injection for tests and the benchmark
* `cli`         the command line
"""
