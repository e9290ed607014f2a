"""GET /fake/sms, /fake/emails and /fake/imobis: what the in-process fakes "sent" (embedded mode)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from clinic_shared.clinic_time import ClinicDateTime
from clinic_shared.pagination import Page, PageDep
from notifier.deps import ContextDep, Reader

router = APIRouter(prefix="/fake", tags=["fakes"])


class FakeSmsRead(BaseModel):
    id: str
    phone: str
    text: str
    parts: int
    sent_at: ClinicDateTime


class FakeEmailRead(BaseModel):
    id: str
    mail_from: str
    to: list[str]
    subject: str
    text: str
    received_at: ClinicDateTime


class FakeImobisRead(BaseModel):
    id: str
    phone: str
    text: str
    route: list[str]
    delivered_by: str | None
    sender: str | None
    group: int | None
    custom_id: str | None
    received_at: ClinicDateTime


@router.get("/sms")
async def list_fake_sms(context: ContextDep, page: PageDep, _: Reader) -> Page[FakeSmsRead]:
    """Messages the fake SMS provider accepted, newest first."""
    sent = list(reversed(context.fake_sms.sent)) if context.fake_sms else []
    items = [FakeSmsRead(**vars(m)) for m in sent[page.offset : page.offset + page.limit]]
    return Page(items=items, total=len(sent))


@router.get("/emails")
async def list_fake_emails(context: ContextDep, page: PageDep, _: Reader) -> Page[FakeEmailRead]:
    """E-mails the in-process SMTP sink received, newest first."""
    received = list(reversed(context.smtp_sink.received)) if context.smtp_sink else []
    items = [FakeEmailRead(**vars(m)) for m in received[page.offset : page.offset + page.limit]]
    return Page(items=items, total=len(received))


@router.get("/imobis")
async def list_fake_imobis(context: ContextDep, page: PageDep, _: Reader) -> Page[FakeImobisRead]:
    """Messages the in-process fake Imobis received (its chat-bot route and the channel that
    delivered), newest first."""
    received = list(reversed(context.fake_imobis.received)) if context.fake_imobis else []
    items = [FakeImobisRead(**vars(m)) for m in received[page.offset : page.offset + page.limit]]
    return Page(items=items, total=len(received))
