"""`jaga demo`: synthesise a small province, import it, run every pipeline stage that exists, write a report,
serve. The report is evaluation code: it may read the synthetic ground truth; detectors may not."""
