"""A closed order's rating link by mail through a real SMTP server: it rates once; a used,
expired or guessed link gets one neutral page, byte for byte; a bad score names its field;
the rating is on the timeline; a low one tells the manager; no second invitation."""

from __future__ import annotations

import datetime as dt

import httpx

from server.notify import engine
from server.notify.tables import Message
from server.ratings import invite
from server.ratings.tables import Rating, RatingInvite
from tests.mailbox import Mailbox, text_of
from tests.server.builders import make_employee
from tests.server.ratings.builders import LINK, closed_order, rating_link, rating_mails


async def test_the_link_rates_once_and_every_dead_link_gets_the_same_neutral_page(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    master = await make_employee("master1", roles=["technician"], full_name="Пётр Мастеров")
    order = await closed_order(admin_client, "anna@example.ru", technician_id=master.id)
    path = await rating_link(mailbox, 1)
    (mail,) = rating_mails(mailbox)
    assert mail["To"] == "anna@example.ru"
    assert order["number"] in mail["Subject"]
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes
    stored = await RatingInvite.select().first()
    assert stored is not None and token not in str(stored) and stored["order"] == order["id"]

    form = await visitor.get(path)
    assert form.status_code == 200
    assert order["number"] in form.text and 'name="score"' in form.text

    done = await visitor.post(path, data={"score": "5", "comment": "Быстро и вежливо"})
    assert done.status_code == 200 and 'data-testid="rate-thanks"' in done.text
    (rating,) = await Rating.select()
    assert rating["score"] == 5 and rating["comment"] == "Быстро и вежливо"
    assert rating["technician"] == master.id

    again = await visitor.post(path, data={"score": "1", "comment": "ещё раз"})
    reopened = await visitor.get(path)
    guessed = await visitor.get("/rate/" + "A" * 43)
    guessed_post = await visitor.post("/rate/" + "A" * 43, data={"score": "3"})
    short = await visitor.get("/rate/x")
    long = await visitor.get("/rate/" + "Z" * 300)
    answers = [again, reopened, guessed, guessed_post, short, long]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1  # byte for byte the same page
    assert order["number"] not in again.text and "rate-gone" in again.text
    assert await Rating.count() == 1 and (await Rating.select())[0]["score"] == 5

    timeline = await admin_client.get(f"/api/v1/orders/{order['id']}/timeline")
    events = [e for e in timeline.json()["items"] if e["kind"] == "rating"]
    assert len(events) == 1 and "5" in events[0]["text"] and "Быстро" in events[0]["text"]

    # Read again, reclosed or swept by a second worker: never a second invitation.
    assert await invite.invite([order["id"]], dt.datetime.now(dt.UTC)) == 0
    assert await invite.sweep() == 0
    await engine.run_all()
    assert len(rating_mails(mailbox)) == 1


async def test_an_expired_link_gets_the_neutral_page(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await closed_order(admin_client, "boris@example.ru")
    path = await rating_link(mailbox, 1)
    guessed = await visitor.get("/rate/" + "B" * 43)
    await RatingInvite.update(
        {RatingInvite.expires_at: dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)}
    ).where(RatingInvite.id > 0)
    expired = await visitor.get(path)
    posted = await visitor.post(path, data={"score": "4"})
    assert expired.status_code == posted.status_code == guessed.status_code == 404
    assert expired.content == posted.content == guessed.content
    assert await Rating.count() == 0


async def test_a_bad_score_is_refused_naming_the_field_and_keeps_the_link(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await closed_order(admin_client, "vera@example.ru")
    path = await rating_link(mailbox, 1)
    for bad in ("0", "6", "", "abc", "4.5", "99999999999"):
        answer = await visitor.post(path, data={"score": bad})
        assert answer.status_code == 422, bad
        assert 'id="e-score"' in answer.text
    answer = await visitor.post(path, json={"score": 7, "comment": "x"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "score"
    answer = await visitor.post(path, json={"score": 3, "comment": "x" * 2001})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "comment"
    assert await Rating.count() == 0
    answer = await visitor.post(path, json={"score": 3, "comment": "нормально"})
    assert answer.status_code == 200
    assert (await Rating.select())[0]["score"] == 3


async def test_a_low_rating_tells_the_manager_at_once_and_a_good_one_does_not(
    admin_client: httpx.AsyncClient, visitor: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    manager = await make_employee(
        "manager1", roles=["manager"], full_name="Мария Менеджерова", email="boss@example.ru"
    )
    low = await closed_order(admin_client, "gleb@example.ru", manager_id=manager.id)
    good = await closed_order(admin_client, "dina@example.ru", manager_id=manager.id)
    await invite.sweep()
    await engine.run_all()
    mailbox.wait_for(4)
    links = {m["To"]: m for m in rating_mails(mailbox)}
    low_path = LINK.search(text_of(links["gleb@example.ru"])).group(1)  # type: ignore[union-attr]
    good_path = LINK.search(text_of(links["dina@example.ru"])).group(1)  # type: ignore[union-attr]
    assert (await visitor.post(good_path, data={"score": "4"})).status_code == 200
    assert (
        await visitor.post(low_path, data={"score": "2", "comment": "долго"})
    ).status_code == 200
    await engine.run_all()
    told = await Message.select().where(Message.employee == manager.id)
    assert {m["channel"] for m in told} >= {"inapp", "email"}
    assert all(low["number"] in m["subject"] for m in told)
    assert not any(good["number"] in m["subject"] for m in told)
    mail = [m for m in mailbox.wait_for(5) if m["To"] == "boss@example.ru"]
    assert mail and "2" in mail[0]["Subject"] and "долго" in text_of(mail[0])
