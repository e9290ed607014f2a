"""What ONDOC must hear of an appointment change (OND-4): attached patients only."""

from __future__ import annotations

import uuid

from ondoc_testkit import appointment_state

from ondoc_bridge.appointments.rules import MOVED_AWAY_REASON, Drop, Link, Push, Queued, outbound_action

ATTACHED = uuid.uuid4()
OTHER = uuid.uuid4()


def test_an_attached_patients_appointment_is_pushed_for_their_ondoc_id() -> None:
    state = appointment_state(ATTACHED)
    action = outbound_action(state, link=Link(ATTACHED, "p-1"), queued=None)
    assert isinstance(action, Push) and (action.patient_id, action.ondoc_patient_id) == (ATTACHED, "p-1")
    assert action.state["id"] == str(state.id)


def test_a_non_attached_patients_appointment_is_not_sent() -> None:
    assert outbound_action(appointment_state(OTHER), link=None, queued=None) is None


def test_a_primary_patients_appointment_is_not_sent() -> None:
    assert outbound_action(appointment_state(None), link=None, queued=None) is None


def test_a_patient_no_longer_attached_gets_nothing_more() -> None:
    queued = Queued(ATTACHED, "p-1", sent_version=2)
    assert outbound_action(appointment_state(ATTACHED), link=None, queued=queued) is None


def test_an_appointment_moved_to_a_non_attached_patient_is_cancelled_for_the_first() -> None:
    queued = Queued(ATTACHED, "p-1", sent_version=2)
    action = outbound_action(appointment_state(OTHER), link=None, queued=queued)
    assert isinstance(action, Push) and action.ondoc_patient_id == "p-1"
    assert (action.state["deleted"], action.state["deletion_reason"]) == (True, MOVED_AWAY_REASON)
    assert MOVED_AWAY_REASON == "Запись перенесена на другого пациента"
    assert action.state["patient_id"] == str(ATTACHED)


def test_an_unsent_appointment_moved_to_a_non_attached_patient_is_dropped() -> None:
    queued = Queued(ATTACHED, "p-1", sent_version=None)
    assert isinstance(outbound_action(appointment_state(OTHER), link=None, queued=queued), Drop)
