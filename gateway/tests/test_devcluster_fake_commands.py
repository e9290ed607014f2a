"""`make up` starts the fakes with generated secrets on their command lines. A secret may begin
with "-" (secrets.token_urlsafe does about 3 % of the time): each fake's own parser must still
read every value back exactly."""

from __future__ import annotations

import argparse

import pytest

from gateway.devcluster import FakeCredentials, fake_commands
from notifier.fake_sms import argument_parser as sms_parser
from notifier.fake_smtp import argument_parser as smtp_parser
from ondoc_bridge.fake_ondoc.__main__ import argument_parser as ondoc_parser

PARSERS = {"fake-ondoc": ondoc_parser, "fake-sms": sms_parser, "smtp-sink": smtp_parser}
PORTS = {"fake-ondoc": 18090, "fake-sms": 18091, "smtp-sink": 12525, "smtp-sink-view": 18092}
CALLBACK_URL = "http://127.0.0.1:8000/api/ondoc/callbacks"


def parsed(name: str, credentials: FakeCredentials) -> argparse.Namespace:
    command = fake_commands(list(PARSERS), PORTS, credentials, CALLBACK_URL)[name]
    # [python, "-m", module, *arguments]
    return PARSERS[name]().parse_args(command[3:])


@pytest.mark.parametrize("secret", ["-leading-dash", "--looks-like-an-option", "-x", "plain_value", "-"])
def test_fake_ondoc_reads_back_tokens_beginning_with_a_dash(secret: str) -> None:
    credentials = FakeCredentials(
        ondoc_company_token=secret, ondoc_branch_token=f"{secret}b", ondoc_callback_secret=f"{secret}c"
    )
    args = parsed("fake-ondoc", credentials)
    assert (args.company_token, args.branch_token, args.callback_secret) == (secret, f"{secret}b", f"{secret}c")
    assert (args.port, args.callback_url) == (PORTS["fake-ondoc"], CALLBACK_URL)


@pytest.mark.parametrize("secret", ["-leading-dash", "--password", "-h", "plain_value"])
def test_fake_sms_reads_back_a_password_beginning_with_a_dash(secret: str) -> None:
    args = parsed("fake-sms", FakeCredentials(sms_password=secret))
    assert (args.login, args.password, args.port) == ("clinic", secret, PORTS["fake-sms"])


def test_smtp_sink_gets_both_its_ports() -> None:
    args = parsed("smtp-sink", FakeCredentials())
    assert (args.port, args.http_port) == (PORTS["smtp-sink"], PORTS["smtp-sink-view"])


def test_only_the_wanted_fakes_get_a_command() -> None:
    assert list(fake_commands(["fake-sms"], PORTS, FakeCredentials(), CALLBACK_URL)) == ["fake-sms"]
