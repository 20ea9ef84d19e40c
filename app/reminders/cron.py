"""RQ's cron scheduler configuration: ``rq cron --url "$REDIS_URL" app.reminders.cron``
enqueues the week's sending every Monday at 08:00 in the scheduler's local time (run it
with TZ=Asia/Ho_Chi_Minh), and ``flask jobs worker`` runs it in the application's
context. See docs/reminders.md."""

from rq import cron

from app.jobs import QUEUE
from app.reminders.sending import send_weekly

cron.register(send_weekly, QUEUE, cron="0 8 * * 1", job_timeout=1800)
