"""Certificates: one's own (every role), verification (every role) and the
administrator's registry with the issuing key and trusted issuers."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.screens.certificates.admin import CertificateAdminScreen
from desktop.screens.certificates.mine import MyCertificatesScreen
from desktop.screens.certificates.verify import VerifyScreen

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.context import AppContext

__all__ = ["CertificateAdminScreen", "MyCertificatesScreen", "VerifyScreen", "certificate_pages"]


def certificate_pages(
    ctx: AppContext, role: str, go_to: Callable[[str], None]
) -> dict[str, QWidget]:
    """The certificate pages of ``role``, by page key, wired together: the registry's
    "Verify" opens the verify page on that certificate."""
    verify = VerifyScreen(ctx)
    pages: dict[str, QWidget] = {"my_certificates": MyCertificatesScreen(ctx), "verify": verify}
    if role == "admin":
        admin = CertificateAdminScreen(ctx)

        def check(code: str) -> None:
            go_to("verify")
            verify.check(code)

        admin.verify_requested.connect(check)
        pages["certificates"] = admin
    return pages
