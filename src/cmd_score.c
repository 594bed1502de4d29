/*
 * cmd_score.c - amicus score: grade one answer file from the command line.
 *
 * The answer file is what a model wrote, reasoning included: an inline
 * <think>…</think> is split off and only the answer is scored for key
 * points; offsets in the output are byte offsets into the file as given.
 */
#include "amconfig.h"

#include "catalog.h"
#include "cmd.h"
#include "config.h"
#include "score.h"
#include "think.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ANSWER_MAX (64u << 20)

static const char help[] =
	"usage: amicus score (--question ID | --rubric FILE) --answer FILE\n"
	"                    [--reasoning FILE] [--turn N] [--lang zh|en] [--json]\n"
	"                    [--statutes FILE] [--questions DIR] [--rubrics DIR] [-c amicus.yaml]\n"
	"\n"
	"Scores one answer against the rubric of a question's turn: which key\n"
	"points it covers, which false claims it makes, whether its citations\n"
	"exist, and how it behaves (loops, language mix, truncation, refusal).\n"
	"\n"
	"  --question ID    the question (its rubric is found under --rubrics)\n"
	"  --rubric FILE    a rubric file, instead of --question\n"
	"  --answer FILE    the model's output ('-' for standard input); an inline\n"
	"                   <think>...</think> is read as reasoning\n"
	"  --reference      score the question's own reference answer for the turn\n"
	"                   (with --question), to test a rubric\n"
	"  --reasoning FILE reasoning the backend returned separately\n"
	"  --turn N         the turn answered (default 1); from turn 2 on, the\n"
	"                   answer is also checked for ignoring the follow-up\n"
	"  --lang zh|en     the language expected (default: the question's)\n"
	"  --json           print the verdicts as JSON\n"
	"  --statutes FILE  the statute registry (default: RUBRICS/statutes.yaml)\n"
	"  --questions DIR  the question bank (default: ./questions)\n"
	"  --rubrics DIR    the rubrics (default: ./rubrics)\n"
	"  -c, --config F   take directories and scoring thresholds from amicus.yaml\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 scored, 1 could not score (missing file, bad rubric), 2 usage error.\n";

struct opts {
	const char *question, *rubric, *answer, *reasoning, *lang, *statutes, *qdir, *rdir, *cfg;
	int turn, json, reference;
};

static int
read_input(const char *path, char **out, size_t *len)
{
	struct buf b;
	char chunk[65536];
	size_t n;

	if (strcmp(path, "-") != 0)
		return file_read(path, ANSWER_MAX, out, len);
	buf_init(&b, ANSWER_MAX);
	buf_append(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (buf_append(&b, chunk, n) < 0) {
			buf_deinit(&b);
			return -EFBIG;
		}
	*len = b.len;
	*out = buf_steal(&b);
	return 0;
}

/* Prints untrusted text for a terminal: no control characters, at most max bytes. */
static void
print_safe(const char *s, size_t n, size_t max)
{
	size_t i = 0;
	int32_t cp;
	int l;

	while (i < n) {
		l = utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (i + (size_t)l > max) {
			fputs("…", stdout);
			return;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			putchar(cp == '\n' ? ' ' : '?');
		else if (cp == 0xFFFD && !(l == 3))
			fputs("\xEF\xBF\xBD", stdout);
		else
			fwrite(s + i, 1, (size_t)l, stdout);
		i += (size_t)l;
	}
}

static void
print_item(const struct score_item *si, const char *text, size_t base, int forbidden)
{
	size_t k;

	printf("  [%c] %-24s %+5.1f  ", si->hit ? (forbidden ? '!' : 'x') : ' ', si->item->id,
	       si->item->points);
	if (forbidden && si->item->claim) {
		print_safe(si->item->claim, strlen(si->item->claim), 60);
		printf("%s", si->hit ? "" : "  (not claimed)");
	} else if (!si->hit) {
		printf("missed");
	}
	for (k = 0; k < si->nev && k < 2; k++) {
		printf("%s\"", k ? ", " : (forbidden ? "  at " : ""));
		print_safe(text + si->ev[k].start, si->ev[k].end - si->ev[k].start, 40);
		printf("\" @%zu", si->ev[k].start + base);
	}
	putchar('\n');
}

static void
print_report(const struct score_result *res, const char *question, const char *rubric_file,
	     const struct rubric_turn *turn, const char *text, size_t base)
{
	size_t i, met = 0;

	printf("%s, turn %d (%s)\n", question, res->turn, rubric_file);
	printf("%s  score %.2f  coverage %.2f  pass mark %.2f\n", res->passed ? "PASSED" : "FAILED",
	       res->score, res->coverage, turn->pass);
	printf("hallucinated: %s   abstained: %s   truncated in reasoning: %s\n",
	       res->hallucinated ? "yes" : "no", res->abstained ? "yes" : "no",
	       res->truncated_in_reasoning ? "yes" : "no");
	for (i = 0; i < res->nkeypoints; i++)
		met += res->keypoints[i].hit != 0;
	printf("\nKey points: %zu of %zu met\n", met, res->nkeypoints);
	for (i = 0; i < res->nkeypoints; i++)
		print_item(&res->keypoints[i], text, base, 0);
	if (res->nforbidden) {
		printf("\nForbidden claims:\n");
		for (i = 0; i < res->nforbidden; i++)
			print_item(&res->forbidden[i], text, base, 1);
	}
	printf("\nCitations:%s\n", res->ncitations ? "" : " none");
	for (i = 0; i < res->ncitations; i++) {
		const struct score_citation *c = &res->citations[i];
		char art[64];

		law_article_name(c->c.law, c->c.article, c->c.sub, art, sizeof art);
		printf("  %-12s ", citation_status_name(c->c.status));
		print_safe(text + c->span.start, c->span.end - c->span.start, 60);
		printf("  -> %s %s\n", c->c.law_name ? c->c.law_name : "(no law named)", art);
	}
	printf("\nBehaviour:\n");
	printf("  tokens        reasoning %ld, answer %ld%s\n", res->reasoning_tokens,
	       res->answer_tokens, res->tokens_estimated ? " (estimated)" : "");
	printf("  language mix  %.1f%% (%ld Latin words, %ld Han characters)%s\n",
	       res->mix.ratio * 100, res->mix.latin_words, res->mix.han_chars,
	       res->mix.flagged ? "  FLAGGED" : "");
	printf("  loops         seq-rep-4 reasoning %.2f, answer %.2f%s%s\n",
	       res->loop_reasoning.rep4, res->loop_answer.rep4,
	       res->loop_reasoning.repeated_sentence || res->loop_answer.repeated_sentence
		       ? ", a sentence repeats 3+ times"
		       : "",
	       res->loop_flagged ? "  FLAGGED" : "");
	if (res->followup_checked)
		printf("  follow-up     %s (previous turn's key points: %.2f covered)\n",
		       res->followup_ignored ? "IGNORED" : "answered", res->prev_coverage);
}

static int
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = {
		{"question", required_argument, NULL, 'Q'},
		{"rubric", required_argument, NULL, 'r'},
		{"answer", required_argument, NULL, 'a'},
		{"reasoning", required_argument, NULL, 'z'},
		{"turn", required_argument, NULL, 't'},
		{"lang", required_argument, NULL, 'l'},
		{"json", no_argument, NULL, 'j'},
		{"statutes", required_argument, NULL, 'S'},
		{"questions", required_argument, NULL, 'q'},
		{"rubrics", required_argument, NULL, 'R'},
		{"config", required_argument, NULL, 'c'},
		{"reference", no_argument, NULL, 'F'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	long v;
	int ch;

	memset(o, 0, sizeof *o);
	o->turn = 1;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "c:h", lopts, NULL)) != -1) {
		switch (ch) {
		case 'Q': o->question = optarg; break;
		case 'r': o->rubric = optarg; break;
		case 'a': o->answer = optarg; break;
		case 'z': o->reasoning = optarg; break;
		case 'l': o->lang = optarg; break;
		case 'j': o->json = 1; break;
		case 'F': o->reference = 1; break;
		case 'S': o->statutes = optarg; break;
		case 'q': o->qdir = optarg; break;
		case 'R': o->rdir = optarg; break;
		case 'c': o->cfg = optarg; break;
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 32)
				return cmd_usage_error("score", "--turn must be 1 to 32, not '%s'",
						       optarg);
			o->turn = (int)v;
			break;
		case 'h': fputs(help, stdout); return -1;
		default:
			return cmd_usage_error("score", "unknown or incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error("score", "unexpected argument '%s'", argv[optind]);
	if (!!o->question == !!o->rubric)
		return cmd_usage_error("score",
				       "give --question ID or --rubric FILE (one of them)");
	if (!o->answer && !o->reference)
		return cmd_usage_error("score", "--answer FILE (or --reference) is required");
	if (o->answer && o->reference)
		return cmd_usage_error("score", "give --answer FILE or --reference, not both");
	if (o->reference && !o->question)
		return cmd_usage_error("score", "--reference needs --question ID");
	if (o->lang && strcmp(o->lang, "zh") != 0 && strcmp(o->lang, "en") != 0)
		return cmd_usage_error("score", "--lang must be zh or en, not '%s'", o->lang);
	return 0;
}

/* Looks for statutes.yaml beside the rubric file or up to three levels up. */
static char *
find_statutes(const char *rubric_file)
{
	char *dir = path_dir(rubric_file), *p, *up;
	int i;

	for (i = 0; i < 4; i++) {
		p = path_join(dir, "statutes.yaml");
		if (access(p, F_OK) == 0) {
			free(dir);
			return p;
		}
		free(p);
		up = path_join(dir, "..");
		free(dir);
		dir = up;
	}
	free(dir);
	return NULL;
}

/* The language of a text by majority script, when nothing else says. */
static const char *
guess_language(const char *s, size_t n)
{
	size_t i = 0;
	long han = 0, latin = 0;
	int32_t cp;

	while (i < n) {
		i += (size_t)utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (is_han(cp))
			han++;
		else if (is_latin(cp))
			latin++;
	}
	return han * 4 >= latin ? "zh" : "en";
}

int
cmd_score(int argc, char **argv)
{
	struct opts o;
	struct config cfg;
	struct catalog cat;
	struct diag d;
	struct pool p;
	struct rubric *r = NULL;
	const struct rubric *cr;
	const struct question *q = NULL;
	const struct rubric_turn *turn, *prev;
	struct statutes own_statutes, *st = NULL;
	struct score_input in;
	struct score_result res;
	struct think_split sp;
	char *text = NULL, *reasoning = NULL, *spath = NULL;
	size_t len = 0, rlen = 0;
	int rc, status = 1, have_cat = 0;
	json_t *j;

	rc = parse(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	diag_init(&d);
	pool_init(&p, 0);
	config_defaults(&cfg);
	if (o.cfg) {
		config_deinit(&cfg);
		if (config_load(&cfg, o.cfg, &d) < 0)
			goto fail;
	}
	if (!o.qdir)
		o.qdir = cfg.questions;
	if (!o.rdir)
		o.rdir = cfg.rubrics;
	if (!o.statutes)
		o.statutes = cfg.statutes;

	if (o.question) {
		catalog_load(&cat, o.qdir, o.rdir, o.statutes, &d);
		have_cat = 1;
		q = bank_find(&cat.bank, o.question);
		cr = rubric_set_find(&cat.rubrics, o.question);
		if (!q || !cr) {
			diag_print(&d, stderr);
			fprintf(stderr,
				"amicus score: %s '%s' not found (or not loadable) under %s\n",
				q ? "no rubric for question" : "question", o.question,
				q ? o.rdir : o.qdir);
			goto out;
		}
		r = (struct rubric *)cr;
		st = &cat.statutes;
	} else {
		r = rubric_load(&p, o.rubric, &d);
		if (!r)
			goto fail;
		spath = o.statutes ? xstrdup(o.statutes) : find_statutes(o.rubric);
		if (spath) {
			if (statutes_load(&own_statutes, spath, &d) < 0)
				goto fail;
		} else {
			statutes_init_empty(&own_statutes);
		}
		st = &own_statutes;
		rubric_bind(r, st, &d);
		/* The question, if the bank has it, gives the language. */
		if (!o.lang && access(o.qdir, F_OK) == 0) {
			struct diag quiet;

			diag_init(&quiet);
			if (bank_load(&cat.bank, o.qdir, &quiet) >= 0 || cat.bank.n) {
				q = bank_find(&cat.bank, r->question);
				if (q)
					o.lang = pool_strdup(&p, q->language);
			}
			bank_deinit(&cat.bank);
			q = NULL;
			diag_deinit(&quiet);
		}
	}
	if (d.errors && !o.question)
		goto fail;

	turn = rubric_turn(r, o.turn);
	if (!turn) {
		fprintf(stderr, "amicus score: the rubric %s has no turn %d\n", r->file, o.turn);
		goto out;
	}
	prev = o.turn > 1 ? rubric_turn(r, o.turn - 1) : NULL;

	if (o.reference) {
		if (o.turn > (int)q->nturns || !q->turns[o.turn - 1].reference) {
			fprintf(stderr,
				"amicus score: question '%s' has no reference answer for turn %d\n",
				q->id, o.turn);
			goto out;
		}
		text = xstrdup(q->turns[o.turn - 1].reference);
		len = strlen(text);
		rc = 0;
	} else {
		rc = read_input(o.answer, &text, &len);
	}
	if (rc < 0) {
		fprintf(stderr, "amicus score: cannot read %s: %s\n", o.answer,
			rc == -EFBIG ? "larger than 64 MiB" : strerror(-rc));
		goto out;
	}
	if (o.reasoning) {
		rc = read_input(o.reasoning, &reasoning, &rlen);
		if (rc < 0) {
			fprintf(stderr, "amicus score: cannot read %s: %s\n", o.reasoning,
				rc == -EFBIG ? "larger than 64 MiB" : strerror(-rc));
			goto out;
		}
	}
	think_split(text, len, &sp);
	memset(&in, 0, sizeof in);
	in.answer = text + sp.answer_start;
	in.answer_len = sp.answer_end - sp.answer_start;
	if (reasoning) {
		in.reasoning = reasoning;
		in.reasoning_len = rlen;
	} else {
		in.reasoning = text + sp.reasoning_start;
		in.reasoning_len = sp.reasoning_end - sp.reasoning_start;
	}
	in.reasoning_unclosed = sp.unclosed;
	in.reasoning_tokens = -1;
	in.answer_tokens = -1;
	in.language = o.lang ? o.lang : q ? q->language : guess_language(in.answer, in.answer_len);

	score_answer(r, turn, prev, st, &in, &cfg.scoring, &res);
	if (o.json) {
		j = score_result_json(&res, in.answer, sp.answer_start);
		json_object_set_new(j, "question", json_string(r->question));
		json_object_set_new(j, "language", json_string(in.language));
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(j);
	} else {
		print_report(&res, r->question, r->file, turn, in.answer, sp.answer_start);
	}
	score_result_deinit(&res);
	status = 0;
	goto out;
fail:
	diag_print(&d, stderr);
	fprintf(stderr, "amicus score: cannot score: the files above have problems\n");
out:
	if (!o.question && r && st == &own_statutes)
		statutes_deinit(&own_statutes);
	if (have_cat)
		catalog_deinit(&cat);
	free(text);
	free(reasoning);
	free(spath);
	pool_deinit(&p);
	config_deinit(&cfg);
	diag_deinit(&d);
	return status;
}
