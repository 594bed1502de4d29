/*
 * curlloop.c - drive libcurl's multi-socket API from the libuv loop.
 *
 * libcurl tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION) and
 * when to call it back (CURLMOPT_TIMERFUNCTION); we watch each socket with
 * a uv_poll handle and keep one uv_timer.  When either fires we hand the
 * event to curl_multi_socket_action and then collect finished transfers.
 * Thousands of streams cost one thread and no polling.
 *
 * Invariants: a uv_poll context exists exactly while curl watches its
 * socket; its memory is freed only in the close callback (libuv's rule).
 * Completion callbacks run after the easy handle has left the multi handle,
 * so a callback may start new transfers or clean up its handle.
 */
#include "amconfig.h"

#include "curlloop.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct curlloop {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer; /* timer.data = the curlloop */
	int running;      /* transfers in the multi handle */
	int closing;
	struct sock *socks; /* every socket curl watches, to close them on exit */
};

static void on_sock_closed(uv_handle_t *h);

/* One watched socket. */
struct sock {
	uv_poll_t poll; /* first: poll.data = this */
	curl_socket_t fd;
	struct curlloop *c;
	struct sock *prev, *next;
};

static void
sock_close(struct sock *s)
{
	struct curlloop *c = s->c;

	if (s->prev)
		s->prev->next = s->next;
	else
		c->socks = s->next;
	if (s->next)
		s->next->prev = s->prev;
	uv_poll_stop(&s->poll);
	uv_close((uv_handle_t *)&s->poll, on_sock_closed);
}

/* What a transfer reports to when it ends; the easy handle's CURLOPT_PRIVATE. */
struct xfer {
	curlloop_done_fn fn;
	void *arg;
};

static void
on_sock_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
check_done(struct curlloop *c)
{
	CURLMsg *msg;
	struct xfer *x;
	CURL *easy;
	CURLcode result;
	int left;

	while ((msg = curl_multi_info_read(c->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		easy = msg->easy_handle;
		result = msg->data.result;
		x = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
		curl_multi_remove_handle(c->multi, easy);
		c->running--;
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		if (x) {
			curlloop_done_fn fn = x->fn;
			void *arg = x->arg;

			free(x);
			fn(easy, result, arg);
		}
	}
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
	struct sock *s = p->data;
	int flags = 0, still;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(s->c->multi, s->fd, flags, &still);
	check_done(s->c);
}

static void
on_timer(uv_timer_t *t)
{
	struct curlloop *c = t->data;
	int still;

	curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &still);
	check_done(c);
}

static int
socket_fn(CURL *easy, curl_socket_t fd, int action, void *userp, void *socketp)
{
	struct curlloop *c = userp;
	struct sock *s = socketp;
	int events = 0;

	(void)easy;
	switch (action) {
	case CURL_POLL_IN:
	case CURL_POLL_OUT:
	case CURL_POLL_INOUT:
		if (!s) {
			s = xcalloc(1, sizeof *s);
			s->fd = fd;
			s->c = c;
			if (uv_poll_init_socket(c->loop, &s->poll, fd) < 0) {
				free(s);
				return -1;
			}
			s->poll.data = s;
			s->next = c->socks;
			if (c->socks)
				c->socks->prev = s;
			c->socks = s;
			curl_multi_assign(c->multi, fd, s);
		}
		if (action != CURL_POLL_IN)
			events |= UV_WRITABLE;
		if (action != CURL_POLL_OUT)
			events |= UV_READABLE;
		uv_poll_start(&s->poll, events, on_poll);
		break;
	case CURL_POLL_REMOVE:
		if (s) {
			sock_close(s);
			curl_multi_assign(c->multi, fd, NULL);
		}
		break;
	default: break;
	}
	return 0;
}

static int
timer_fn(CURLM *multi, long timeout_ms, void *userp)
{
	struct curlloop *c = userp;

	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(&c->timer);
	else
		/* 0 means "as soon as possible": go through the loop, not recursion. */
		uv_timer_start(&c->timer, on_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

int
curlloop_new(struct curlloop **cp, uv_loop_t *loop)
{
	struct curlloop *c = xcalloc(1, sizeof *c);

	c->loop = loop;
	c->multi = curl_multi_init();
	if (!c->multi) {
		free(c);
		return -1;
	}
	uv_timer_init(loop, &c->timer);
	c->timer.data = c;
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, socket_fn);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, timer_fn);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
	*cp = c;
	return 0;
}

int
curlloop_add(struct curlloop *c, CURL *easy, curlloop_done_fn fn, void *arg)
{
	struct xfer *x;

	if (c->closing)
		return -1;
	x = xmalloc(sizeof *x);
	x->fn = fn;
	x->arg = arg;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, x);
	if (curl_multi_add_handle(c->multi, easy) != CURLM_OK) {
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		free(x);
		return -1;
	}
	c->running++;
	return 0;
}

void
curlloop_remove(struct curlloop *c, CURL *easy)
{
	struct xfer *x = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	if (!x)
		return; /* not running */
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
	free(x);
	if (curl_multi_remove_handle(c->multi, easy) == CURLM_OK)
		c->running--;
}

int
curlloop_running(const struct curlloop *c)
{
	return c->running;
}

static void
on_timer_closed(uv_handle_t *h)
{
	struct curlloop *c = h->data;

	free(c);
}

void
curlloop_close(struct curlloop **cp)
{
	struct curlloop *c = *cp;

	if (!c)
		return;
	*cp = NULL;
	c->closing = 1;
	/* The owners have removed their transfers (curlloop_remove); close the
	 * polls curl still has, then the multi handle. */
	while (c->socks)
		sock_close(c->socks);
	curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, NULL);
	curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, NULL);
	curl_multi_cleanup(c->multi);
	c->multi = NULL;
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_timer_closed);
}
