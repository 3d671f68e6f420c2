"""Certificates and credentials (issue 9): issuing, signing, documents, verification,
revocation and export. Qt-free; the desktop screens call these functions.

API for the desktop (all take the open ``Database``):

- Issuer key (administrator): ``issuer.create_issuer_key(db, data_dir, actor, name,
  passphrase)``, ``issuer.issuer_public_key(data_dir)`` (``.fingerprint`` to show),
  ``issuer.unlock(data_dir, passphrase) -> IssuerKey`` (keep it in memory for one signing
  session), ``issuer.trust_issuer`` / ``untrust_issuer`` / ``trusted_issuers``.
- After an exam result: ``issuing.issue_for_exam(db, attempt_id, cases=bank)``
  (idempotent; pending until signed), then ``issuing.sign_pending(db, key)``;
  ``issuing.renew`` re-certifies; ``issuing.bulk_issue`` issues for an institution.
- Listing: ``issuing.list_credentials(db, user_id=…)``, ``issuing.status_of(c)``.
- Files: ``documents.save_certificate_pdf(db, credential, path)``,
  ``documents.save_open_badge(credential, path)``; ``transcript.save_transcript_pdf``.
- Verify: ``verify.verify_input(db, path_or_code, checked_by=user.id)`` returns a
  ``VerificationResult`` (``outcome``, ``message``, ``details``, ``problems``).
- Revoke: ``revocation.revoke(db, actor, credential_id, reason, key)``;
  ``revocation.export_list`` / ``import_list`` for other PCs.
- Bulk export: ``export.export_zip(db, credentials, path, progress=…, cancel=…)``.
"""
