"""The README's Testcontainers recipe for Python, run for real by `make docker-check` against the built image.

The recipe publishes the container's port 8080 and waits on /__admin/ready. These machines have no bridge
network (host networking only), so here the same recipe runs with overrides that a normal Docker host does not
need: the container joins the host network on a free port, publishes nothing, and the container class answers
that port and 127.0.0.1 where Testcontainers would ask Docker for the mapped ones. Everything else (the image, the wait
strategy on /__admin/ready, the context manager, the port read back from the container) is the recipe's.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import httpx
import pytest
from testcontainers.core.container import DockerContainer
from testcontainers.core.wait_strategies import HttpWaitStrategy

IMAGE = os.environ.get("MOCK_SYMBL_TESTCONTAINERS_IMAGE", "mock-symbl:latest")


def mock_symbl_container(
    image: str, container_class: type[DockerContainer] = DockerContainer
) -> DockerContainer:
    """The README recipe: the image, its API port published, ready when /__admin/ready answers 200."""
    return (
        container_class(image)
        .with_exposed_ports(8080)
        .with_env("MOCK_SYMBL_JOB_PROGRESSION", "immediate")
        .waiting_for(HttpWaitStrategy(8080, "/__admin/ready").with_startup_timeout(90))
    )


class HostNetworkContainer(DockerContainer):
    """This machine's only override: the container binds a free host port instead of a published one."""

    port = 0

    def with_exposed_ports(self, *ports: str | int) -> HostNetworkContainer:
        return self  # the host network publishes nothing: Docker refuses port bindings there

    def get_container_host_ip(self) -> str:
        return "127.0.0.1"

    def _get_exposed_port(self, port: int) -> int:
        return self.port if port == 8080 else port


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def symbl_url() -> Iterator[str]:
    HostNetworkContainer.port = _free_port()
    container = mock_symbl_container(IMAGE, HostNetworkContainer).with_kwargs(network_mode="host")
    container = container.with_env("MOCK_SYMBL_HOST", "127.0.0.1")
    container = container.with_env("MOCK_SYMBL_PORT", str(HostNetworkContainer.port))
    container = container.with_env("MOCK_SYMBL_LABS_PORT", str(_free_port()))
    with container as mock:
        yield f"http://{mock.get_container_host_ip()}:{mock.get_exposed_port(8080)}"


def test_the_container_serves_a_text_job(symbl_url: str) -> None:
    token = httpx.post(
        f"{symbl_url}/oauth2/token:generate", json={"type": "application", "appId": "tc", "appSecret": "s"}
    ).json()["accessToken"]
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "messages": [{"payload": {"content": "Can you send the report by Monday?"}, "from": {"name": "Ann"}}]
    }
    posted = httpx.post(f"{symbl_url}/v1/process/text", headers=headers, json=body).json()
    assert httpx.get(f"{symbl_url}/v1/job/{posted['jobId']}", headers=headers).json()["status"] == "completed"
    url = f"{symbl_url}/v1/conversations/{posted['conversationId']}/action-items"
    items = httpx.get(url, headers=headers).json()["actionItems"]
    assert items and "report" in items[0]["text"]
