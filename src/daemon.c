/*
 * daemon.c - amicus serve.
 *
 * One libuv loop carries everything: the HTTP server, the scheduler, the
 * runner and the backends' transfers.  At start-up jobs that a previous
 * daemon left in flight go back to pending and are finished.
 *
 * Signals:
 *   SIGTERM, SIGINT  stop: no new request or job; jobs in flight go back
 *                    to pending (the next start finishes them); exit 0.
 *   SIGHUP           reload amicus.yaml and the question bank.  A file with
 *                    problems is reported and the running configuration
 *                    kept; a good one replaces the backends and the
 *                    scheduler (jobs in flight go back to pending and are
 *                    taken up again at once).
 */
#include "amconfig.h"

#include "daemon.h"
#include "api.h"
#include "launch.h"
#include "log.h"
#include "util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static void
on_job_done(int64_t run, int ok, void *arg)
{
	struct daemon *d = arg;

	(void)run;
	if (ok)
		d->stats.jobs_done++;
	else
		d->stats.jobs_failed++;
}

static void
on_run_done(int64_t run, void *arg)
{
	struct run_counts c;
	struct daemon *d = arg;

	d->gen++;
	store_run_counts(d->e.store, run, &c, NULL);
	log_info("daemon", "run %lld finished: %lld answers, %lld errors", (long long)run,
		 (long long)c.done, (long long)c.error);
}

/* The daemon goes on (the runner tries again at its next poll); the health
 * page says what is wrong, so that an operator sees it. */
static void
on_store_failed(const char *why, void *arg)
{
	struct daemon *d = arg;

	snprintf(d->store_error, sizeof d->store_error, "%s", why);
	d->store_error_at = time(NULL);
}

struct launched {
	struct daemon *d;
	void (*fn)(int64_t, const char *, void *);
	void *arg;
};

static void
on_launched(int64_t run, const char *error, void *arg)
{
	struct launched *l = arg;

	if (run) {
		l->d->stats.runs_started++;
		log_info("daemon", "run %lld started", (long long)run);
		if (l->d->runner)
			runner_kick(l->d->runner);
	}
	if (l->fn)
		l->fn(run, error, l->arg);
	free(l);
}

int
daemon_launch(struct daemon *d, const char *trigger, const char *suite, const char *const *models,
	      size_t nmodels, int samples, void (*fn)(int64_t, const char *, void *), void *arg,
	      struct am_err *err)
{
	struct launched *l = xcalloc(1, sizeof *l);

	if (d->stopping) {
		free(l);
		return am_err_set(err, "amicus is stopping");
	}
	l->d = d;
	l->fn = fn;
	l->arg = arg;
	if (launch_run(&d->e, trigger, "serve", suite, models, nmodels, samples, on_launched, l,
		       err) < 0) {
		free(l);
		return -1;
	}
	return 0;
}

struct fired {
	struct daemon *d;
	char name[128];
};

static void
on_schedule_run(int64_t run, const char *error, void *arg)
{
	struct fired *f = arg;

	if (run)
		store_schedule_fired(f->d->e.store, f->name, (int64_t)time(NULL), run);
	else
		log_error("sched", "schedule %s: %s", f->name, error ? error : "no run");
	free(f);
}

static int
on_schedule(const struct config_schedule *s, void *arg)
{
	struct daemon *d = arg;
	struct fired *f = xcalloc(1, sizeof *f);
	struct am_err err;
	char trigger[160];

	f->d = d;
	snprintf(f->name, sizeof f->name, "%s", s->name);
	snprintf(trigger, sizeof trigger, "schedule:%s", s->name);
	if (daemon_launch(d, trigger, s->suite, s->models, s->nmodels, (int)s->samples,
			  on_schedule_run, f, &err) < 0) {
		log_error("sched", "schedule %s: %s", s->name, err.msg);
		free(f);
		return -1;
	}
	return 0;
}

/* Starts what depends on the configuration: backends, runner, scheduler. */
static int
start_work(struct daemon *d, struct am_err *err)
{
	struct runner_hooks hooks = {on_job_done, on_run_done, on_store_failed, d};

	if (engine_start_backends(&d->e, err) < 0)
		return -1;
	runner_new(&d->runner, d->loop, d->e.store, &d->e.cat, &d->e.cfg, d->e.backends, "serve", 0,
		   &hooks);
	sched_start(&d->sched, d->loop, &d->e.cfg, d->e.store, on_schedule, d);
	return 0;
}

/* Stops it: jobs in flight go back to pending. */
static void
stop_work(struct daemon *d)
{
	size_t i;

	sched_stop(&d->sched);
	for (i = 0; i < d->e.nbackends; i++)
		backend_cancel_all(d->e.backends[i]);
	if (d->runner) {
		runner_stop(d->runner);
		runner_free(&d->runner);
	}
	engine_stop_backends(&d->e);
}

static void
reload(struct daemon *d)
{
	struct config fresh;
	struct catalog cat;
	struct diag dg;
	struct am_err err;

	if (!d->e.cfg_path) {
		log_info("daemon", "SIGHUP: no amicus.yaml to reload; reloading the question bank");
	}
	diag_init(&dg);
	if (d->e.cfg_path && config_load(&fresh, d->e.cfg_path, &dg) < 0) {
		diag_print(&dg, stderr);
		log_error("daemon", "SIGHUP: %s has problems; keeping the running configuration",
			  d->e.cfg_path);
		d->stats.reload_errors++;
		config_deinit(&fresh);
		diag_deinit(&dg);
		return;
	}
	if (catalog_load(&cat, d->e.cfg_path ? fresh.questions : d->e.cfg.questions,
			 d->e.cfg_path ? fresh.rubrics : d->e.cfg.rubrics,
			 d->e.cfg_path ? fresh.statutes : d->e.cfg.statutes, &dg) < 0 &&
	    cat.bank.n == 0) {
		diag_print(&dg, stderr);
		log_error("daemon", "SIGHUP: no question loads; keeping the running configuration");
		d->stats.reload_errors++;
		catalog_deinit(&cat);
		if (d->e.cfg_path)
			config_deinit(&fresh);
		diag_deinit(&dg);
		return;
	}
	if (dg.errors)
		diag_print(&dg, stderr);
	stop_work(d);
	catalog_deinit(&d->e.cat);
	d->e.cat = cat;
	if (d->e.cfg_path) {
		if (!fresh.nbackends)
			engine_default_backends(&fresh); /* as at start-up */
		config_deinit(&d->e.cfg);
		d->e.cfg = fresh;
	}
	if (start_work(d, &err) < 0)
		log_error("daemon", "SIGHUP: %s", err.msg);
	{
		struct web *w;

		if (web_load(&w, d->e.cfg.web, &err) < 0) {
			log_error("daemon",
				  "SIGHUP: the dashboard's files: %s; keeping the old ones",
				  err.msg);
		} else {
			web_free(&d->web);
			d->web = w;
		}
	}
	d->stats.reloads++;
	d->gen++;
	log_info("daemon", "configuration reloaded: %zu backends, %zu schedules, %zu questions",
		 d->e.cfg.nbackends, d->e.cfg.nschedules, d->e.cat.bank.n);
	diag_deinit(&dg);
}

static void
close_signal(uv_signal_t *s)
{
	uv_signal_stop(s);
	if (!uv_is_closing((uv_handle_t *)s))
		uv_close((uv_handle_t *)s, NULL);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	struct daemon *d = s->data;

	if (signum == SIGHUP) {
		reload(d);
		return;
	}
	log_info("daemon", "signal %d: stopping", signum);
	d->stopping = 1;
	events_free(&d->events);
	http_server_stop(&d->http);
	stop_work(d);
	close_signal(&d->sigterm);
	close_signal(&d->sigint);
	close_signal(&d->sighup);
}

static int
split_listen(const char *listen, char *host, size_t cap, int *port)
{
	const char *colon = strrchr(listen, ':');
	size_t n;

	if (!colon)
		return -1;
	n = (size_t)(colon - listen);
	if (n && listen[0] == '[' && listen[n - 1] == ']') {
		listen++;
		n -= 2;
	}
	if (n >= cap)
		return -1;
	memcpy(host, listen, n);
	host[n] = '\0';
	*port = atoi(colon + 1);
	return *port >= 0 && *port < 65536 && colon[1] ? 0 : -1;
}

int
daemon_run(const char *path, const char *listen_override)
{
	struct daemon d;
	struct diag dg;
	struct am_err err;
	uv_loop_t loop;
	char host[256];
	int port, status = 1, n;

	memset(&d, 0, sizeof d);
	uv_loop_init(&loop);
	d.loop = &loop;
	d.started = time(NULL);
	d.listen_override = listen_override;
	diag_init(&dg);
	signal(SIGPIPE, SIG_IGN);
	if (engine_open(&d.e, &loop, path, &dg, &err) < 0) {
		diag_print(&dg, stderr);
		log_error("daemon", "%s", err.msg);
		goto out;
	}
	if (dg.errors)
		diag_print(&dg, stderr);
	n = store_recover(d.e.store, "serve", &err);
	if (n < 0) {
		log_error("daemon", "%s", err.msg);
		goto out;
	}
	if (n > 0)
		log_info("daemon", "%d jobs left in flight by an earlier start go back to pending",
			 n);
	if (split_listen(listen_override ? listen_override : d.e.cfg.listen, host, sizeof host,
			 &port) < 0) {
		log_error("daemon", "listen: '%s' is not host:port",
			  listen_override ? listen_override : d.e.cfg.listen);
		goto out;
	}
	events_new(&d.events, &loop, d.e.store);
	if (web_load(&d.web, d.e.cfg.web, &err) < 0) {
		log_error("daemon", "the dashboard's files: %s", err.msg);
		goto out;
	}
	if (http_server_start(&d.http, &loop, host, port, api_handle, &d, &err) < 0) {
		log_error("daemon", "%s", err.msg);
		goto out;
	}
	if (start_work(&d, &err) < 0) {
		log_error("daemon", "%s", err.msg);
		http_server_stop(&d.http);
		goto out;
	}
	uv_signal_init(&loop, &d.sigterm);
	uv_signal_init(&loop, &d.sigint);
	uv_signal_init(&loop, &d.sighup);
	d.sigterm.data = d.sigint.data = d.sighup.data = &d;
	uv_signal_start(&d.sigterm, on_signal, SIGTERM);
	uv_signal_start(&d.sigint, on_signal, SIGINT);
	uv_signal_start(&d.sighup, on_signal, SIGHUP);
	log_info("daemon",
		 "amicus %s listening on http://%s:%d (database %s, %zu questions, %zu "
		 "backends)",
		 PACKAGE_VERSION, host, http_server_port(d.http), d.e.cfg.database, d.e.cat.bank.n,
		 d.e.cfg.nbackends);
	/* Tests and scripts read the port from here when they asked for port 0. */
	if (getenv("AMICUS_PORT_FILE")) {
		char *tmp = xasprintf("%s.tmp", getenv("AMICUS_PORT_FILE"));
		FILE *fp = fopen(tmp, "w");

		if (fp) {
			fprintf(fp, "%d\n", http_server_port(d.http));
			fclose(fp);
			rename(tmp, getenv("AMICUS_PORT_FILE"));
		}
		free(tmp);
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	status = 0;
out:
	stop_work(&d);
	events_free(&d.events);
	http_server_stop(&d.http);
	uv_run(&loop, UV_RUN_DEFAULT);
	engine_close(&d.e);
	web_free(&d.web);
	free(d.board.body);
	free(d.health.body);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	diag_deinit(&dg);
	log_info("daemon", "stopped");
	return status;
}
