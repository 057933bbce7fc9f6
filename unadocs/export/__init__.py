"""Interoperable views of a certificate record: the European Learning Model and Open Badges 3.0.

The PDF is one view of a :class:`~unadocs.record.CertificateRecord`;
these are two more, built from the same record and never from the spec again:

* :mod:`~unadocs.export.elm`: a European Digital Credential (ELM v3 JSON-LD),
  which a learner uploads to the Europass wallet;
* :mod:`~unadocs.export.ob3`: an Open Badges 3.0 ``OpenBadgeCredential``,
  which the issuing run signs as a VC-JWT (:mod:`unadocs.seal.vcjwt`), for badge platforms;
* :mod:`~unadocs.export.vocabularies`: the EU controlled-vocabulary concepts
  (``unadocs/data/vocabularies.yaml``);
* :mod:`~unadocs.export.contexts`: the JSON-LD contexts, served offline.

These are pure functions from a record to a document: they read no file,
write none and sign nothing (:mod:`unadocs.issuing` writes and signs). Import
from the modules; this package imports nothing.
"""
