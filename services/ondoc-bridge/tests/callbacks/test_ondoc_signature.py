"""Callback signatures (OND-10): HMAC-SHA256 over timestamp, callback id and raw body, secrets rotate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ondoc_bridge.callbacks.signature import SignatureError, sign, verify

NOW = 1_900_000_000
BODY = b'{"code": "123456789", "ondoc_patient_id": "p-1"}'
SECRET = "current-secret-0123456789"
OLD = "previous-secret-0123456789"
CALLBACK_ID = "cb-0001"


def check(
    *,
    timestamp: str | None = str(NOW),
    signature: str | None = None,
    body: bytes = BODY,
    secrets=(SECRET,),
    callback_id: str | None = CALLBACK_ID,
):
    given_signature = sign(SECRET, NOW, CALLBACK_ID, BODY) if signature is None else signature
    verify(
        timestamp=timestamp,
        signature=given_signature,
        callback_id=callback_id,
        body=body,
        secrets=list(secrets),
        now=NOW,
        tolerance_seconds=300,
    )


def test_a_correctly_signed_body_passes() -> None:
    check()


def test_the_signature_is_hex_hmac_sha256_of_timestamp_callback_id_and_body_on_their_own_lines() -> None:
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), f"{NOW}\n{CALLBACK_ID}\n".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, CALLBACK_ID, BODY) == expected


def test_another_callback_id_than_the_signed_one_fails() -> None:
    with pytest.raises(SignatureError, match="does not match"):
        check(callback_id="cb-0002")


@pytest.mark.parametrize("callback_id", [None, ""])
def test_a_missing_callback_id_fails(callback_id: str | None) -> None:
    with pytest.raises(SignatureError, match="required"):
        check(callback_id=callback_id)


def test_moving_characters_between_the_callback_id_and_the_body_fails() -> None:
    with pytest.raises(SignatureError, match="does not match"):
        check(callback_id=CALLBACK_ID + "\n{", body=BODY[1:])


def test_a_changed_body_fails() -> None:
    with pytest.raises(SignatureError, match="does not match"):
        check(body=BODY.replace(b"p-1", b"p-2"))


def test_a_signature_made_with_another_secret_fails() -> None:
    with pytest.raises(SignatureError, match="does not match"):
        check(signature=sign("someone-elses-secret-000", NOW, CALLBACK_ID, BODY))


def test_any_active_secret_verifies_during_a_rotation() -> None:
    check(signature=sign(OLD, NOW, CALLBACK_ID, BODY), secrets=(SECRET, OLD))
    check(signature=sign(SECRET, NOW, CALLBACK_ID, BODY), secrets=(SECRET, OLD))


def test_a_retired_secret_no_longer_verifies() -> None:
    with pytest.raises(SignatureError):
        check(signature=sign(OLD, NOW, CALLBACK_ID, BODY), secrets=(SECRET,))


@pytest.mark.parametrize("skew", [-301, 301, 3600])
def test_a_stale_or_future_timestamp_fails_even_when_signed(skew: int) -> None:
    moment = NOW + skew
    with pytest.raises(SignatureError, match="window"):
        check(timestamp=str(moment), signature=sign(SECRET, moment, CALLBACK_ID, BODY))


@pytest.mark.parametrize("skew", [-300, 0, 300])
def test_a_timestamp_within_five_minutes_passes(skew: int) -> None:
    moment = NOW + skew
    check(timestamp=str(moment), signature=sign(SECRET, moment, CALLBACK_ID, BODY))


@pytest.mark.parametrize("timestamp", [None, "", "1.9e9", "-5", "abc"])
def test_a_missing_or_malformed_timestamp_fails(timestamp: str | None) -> None:
    with pytest.raises(SignatureError):
        check(timestamp=timestamp)


def test_a_missing_signature_fails() -> None:
    with pytest.raises(SignatureError, match="required"):
        check(signature="")


def test_nothing_verifies_without_a_configured_secret() -> None:
    with pytest.raises(SignatureError, match="no callback secret"):
        check(secrets=())


def test_a_sha256_prefix_and_upper_case_hex_are_accepted() -> None:
    check(signature="sha256=" + sign(SECRET, NOW, CALLBACK_ID, BODY).upper())


@given(body=st.binary(max_size=200), flip=st.integers(min_value=0, max_value=63))
def test_any_single_changed_hex_digit_fails(body: bytes, flip: int) -> None:
    good = sign(SECRET, NOW, CALLBACK_ID, body)
    bad = good[:flip] + ("0" if good[flip] != "0" else "1") + good[flip + 1 :]
    with pytest.raises(SignatureError):
        verify(
            timestamp=str(NOW),
            signature=bad,
            callback_id=CALLBACK_ID,
            body=body,
            secrets=[SECRET],
            now=NOW,
            tolerance_seconds=300,
        )
