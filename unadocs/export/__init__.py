"""Interoperable views of a certificate record: the European Learning Model and Open Badges 3.0.

The PDF is one view of a :class:`~unadocs.certificate.record.CertificateRecord`;
these are two more, built from the same record and never from the spec again:

* :mod:`~unadocs.export.elm`: a European Digital Credential (ELM v3 JSON-LD),
  which a learner uploads to the Europass wallet;
* :mod:`~unadocs.export.ob3`: an Open Badges 3.0 ``OpenBadgeCredential``,
  signed as a VC-JWT with the issuer's Ed25519 key, for badge platforms;
* :mod:`~unadocs.export.vocabularies`: the EU controlled-vocabulary concepts
  (``unadocs/data/vocabularies.yaml``);
* :mod:`~unadocs.export.contexts`: the JSON-LD contexts, served offline;
* :mod:`~unadocs.export.write`: writing the files beside the PDF.

Import from the modules; this package imports nothing.
"""
