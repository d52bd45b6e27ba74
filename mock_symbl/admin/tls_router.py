"""GET /__admin/tls/ca.pem: the local CA of transparent mode, for clients to trust.

Open like the probes, also when an admin token is set: a CA certificate is public, and the containers and
machines that must trust it are not the ones that hold the admin token.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import NotFound

router = APIRouter(prefix=ADMIN_PREFIX, tags=[ADMIN_TAG])


@router.get(
    "/tls/ca.pem",
    response_class=Response,
    responses={200: {"content": {"application/x-pem-file": {}}, "description": "The CA certificate (PEM)."}},
)
def tls_ca(services: ServicesDep) -> Response:
    """The CA certificate that signed the TLS port's certificate (404 when TLS is off or the certificate is your own)."""
    from mock_symbl.tls import ca_path  # cryptography: only loaded when asked

    settings = services.settings
    if settings.tls_port is None:
        raise NotFound("TLS is off: start mock-symbl with --tls-port to serve HTTPS and WSS.")
    path = ca_path(settings)
    if path is None:
        raise NotFound("The TLS port serves the certificate given with --tls-cert; its CA is yours.")
    try:
        data = path.read_bytes()
    except OSError:
        raise NotFound("No CA certificate yet: it is made when the TLS port starts.") from None
    return Response(
        data,
        media_type="application/x-pem-file",
        headers={"content-disposition": 'attachment; filename="mock-symbl-ca.pem"'},
    )
