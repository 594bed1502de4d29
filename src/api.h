/*
 * api.h - the daemon's HTTP routes: the JSON API and /metrics.
 */
#ifndef AMICUS_API_H
#define AMICUS_API_H

#include "daemon.h"
#include "http.h"

/** Answers one request; arg is the struct daemon. */
void api_handle(struct http_request *r, void *arg);

#endif
