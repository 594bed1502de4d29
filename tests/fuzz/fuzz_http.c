/*
 * fuzz_http.c - the HTTP request path (llhttp, the caps, pipelining,
 * timeouts' bookkeeping) on arbitrary bytes sent over a real loopback
 * connection to a server on this process's own libuv loop.  Each input
 * is one connection: the bytes, then end of input; the server must answer
 * or close, never crash, hang or leak.
 */
#include "amconfig.h"

#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uv_loop_t loop;
static struct http_server *srv;
static int port;

static void
handle(struct http_request *r, void *arg)
{
	char body[64];
	int n;

	(void)arg;
	n = snprintf(body, sizeof body, "%zu %zu %zu\n", strlen(r->path), r->nheaders, r->body_len);
	http_respond(r, 200, "text/plain", body, (size_t)n, NULL);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct am_err err;

	(void)argc;
	(void)argv;
	uv_loop_init(&loop);
	if (http_server_start(&srv, &loop, "127.0.0.1", 0, handle, NULL, &err) < 0)
		abort();
	port = http_server_port(srv);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct sockaddr_in a;
	struct pollfd p;
	char buf[65536];
	size_t sent = 0;
	int fd, spins = 0, closed = 0;
	ssize_t k;

	if (n > 256 * 1024)
		return 0;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0)
		abort();
	/* Send, read and turn the server's loop until it has answered and closed. */
	while (!closed && spins++ < 20000) {
		if (sent < n) {
			k = send(fd, d + sent, n - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (k > 0)
				sent += (size_t)k;
			if (sent == n)
				shutdown(fd, SHUT_WR);
		} else if (n == 0 && spins == 1) {
			shutdown(fd, SHUT_WR);
		}
		uv_run(&loop, UV_RUN_NOWAIT);
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, 1) > 0) {
			k = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
			/* End of stream, or a reset: the server closed the connection. */
			if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
				closed = 1;
		}
	}
	close(fd);
	/* Let the server see the close and free the connection. */
	for (spins = 0; spins < 50; spins++)
		uv_run(&loop, UV_RUN_NOWAIT);
	if (!closed)
		__builtin_trap(); /* the server neither answered and closed nor reset */
	return 0;
}
