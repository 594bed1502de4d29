/*
 * score.c - the scorer: rubric and answer in, verdicts out.
 *
 * Pure functions: no I/O, no clock, no global state but compiled patterns,
 * so the daemon, the CLI and the benchmark give the same verdict for the
 * same text, and a result can be recomputed from a stored answer.
 *
 * Definitions (DESIGN.md, "What is measured"):
 *   score        = (Σ points of met key points + Σ points of triggered
 *                  forbidden claims) / Σ positive points; may be negative.
 *                  A turn with no positive points scores 1, or 0 when a
 *                  forbidden claim triggers.
 *   coverage     = Σ points of met key points / Σ positive points.
 *   hallucinated = a forbidden claim triggered, or a citation that is
 *                  nonexistent or misgrounded.
 *   passed       = score ≥ the turn's pass mark and not hallucinated.
 *   abstained    = not cut off, and the answer is empty or refuses while
 *                  meeting no key point.
 *
 * A term's hit counts for a key point when its clause asks no question and
 * does not deny it (negation.h, NEGATION_AFFIRM).  A forbidden claim
 * triggers when one of its `any` terms is asserted (NEGATION_CLAIM) in a
 * sentence that also asserts one of its `near` terms (when it has any) and
 * contains all of its `all` terms.
 */
#include "amconfig.h"

#include "score.h"
#include "abstain.h"
#include "lexset.h"
#include "negation.h"
#include "text.h"
#include "think.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HITS 256
#define MAX_EVIDENCE 8

void
score_options_default(struct score_options *o)
{
	o->mix_threshold = 0.01;
	o->loop_threshold = 0.5;
	o->loop_min_ngrams = 20;
}

struct hit {
	uint32_t start, end;
};

struct hits {
	struct hit h[MAX_HITS];
	size_t n;
};

static int
collect(size_t start, size_t end, void *arg)
{
	struct hits *hs = arg;

	hs->h[hs->n].start = (uint32_t)start;
	hs->h[hs->n].end = (uint32_t)end;
	return ++hs->n == MAX_HITS;
}

/* The hits of one term, found once per answer. */
struct term_hits {
	struct hit *h;
	uint16_t n, cap;
	uint8_t done;
};

/* Everything one scoring pass shares. */
struct pass {
	const struct ntext *t;
	const struct negation *ng;
	pcre2_match_data *md;
	struct pool *p;
	const struct rubric_turn *turn; /* whose terms are cached */
	struct term_hits *cache;        /* by term slot */
	struct hits hits;               /* scratch for other turns' terms */
};

struct index_ctx {
	struct pass *ps;
	size_t at;
};

static void
cache_add(struct pass *ps, int slot, size_t start, size_t end)
{
	struct term_hits *th = &ps->cache[slot];

	if (th->n == MAX_HITS)
		return;
	/* Matches of one term do not overlap, as term_each reports them. */
	if (th->n && th->h[th->n - 1].end > start)
		return;
	if (th->n == th->cap) {
		/* Most terms hit a few times: grow from 4, in the pool. */
		uint16_t cap = th->cap ? th->cap * 2 : 4;
		struct hit *h = pool_array(ps->p, cap, sizeof *h);

		if (th->n)
			memcpy(h, th->h, th->n * sizeof *h);
		th->h = h;
		th->cap = cap;
	}
	th->h[th->n].start = (uint32_t)start;
	th->h[th->n].end = (uint32_t)end;
	th->n++;
}

static int
on_literal(const struct lexset_entry *e, void *arg)
{
	struct index_ctx *x = arg;
	const struct term *term = x->ps->turn->terms[e->value];

	if (term_literal_ok(term, x->ps->t->s, x->ps->t->len, x->at))
		cache_add(x->ps, term->slot, x->at, x->at + term->litlen);
	return 0;
}

/* One pass over the answer finds every literal term of the turn. */
static void
index_literals(struct pass *ps)
{
	const struct rubric_turn *t = ps->turn;
	const char *s = ps->t->s;
	size_t len = ps->t->len, i;
	struct index_ctx x = {ps, 0};

	ps->cache = pool_array(ps->p, t->nterms ? t->nterms : 1, sizeof *ps->cache);
	for (i = 0; i < t->nterms; i++)
		ps->cache[i].done = t->terms[i]->lit != NULL;
	if (!t->literals.n)
		return;
	for (i = 0; i + 1 < len; i++) {
		if (((unsigned char)s[i] & 0xC0) == 0x80 || !lexset_maybe(&t->literals, s, len, i))
			continue;
		x.at = i;
		lexset_each(&t->literals, s, len, i, on_literal, &x);
	}
}

static int
collect_cached(size_t start, size_t end, void *arg)
{
	struct term_hits *th = arg;

	th->h[th->n].start = (uint32_t)start;
	th->h[th->n].end = (uint32_t)end;
	return ++th->n == MAX_HITS;
}

/* The hits of a term, in text order. */
struct hitview {
	const struct hit *h;
	size_t n;
};

/* The hits of a term: from the turn's cache, else found now (a regex the
 * first time it is asked for, or a term of another turn). */
static struct hitview
find(struct pass *ps, const struct term *term)
{
	struct term_hits *th;
	struct hitview v;

	if (ps->cache && term->slot < (int)ps->turn->nterms &&
	    ps->turn->terms[term->slot] == term) {
		th = &ps->cache[term->slot];
		if (!th->done) {
			th->h = pool_array(ps->p, MAX_HITS, sizeof *th->h);
			th->cap = MAX_HITS;
			term_each(term, ps->t, ps->md, collect_cached, th);
			th->done = 1;
		}
		v.h = th->h;
		v.n = th->n;
		return v;
	}
	ps->hits.n = 0;
	term_each(term, ps->t, ps->md, collect, &ps->hits);
	v.h = ps->hits.h;
	v.n = ps->hits.n;
	return v;
}

/* Whether a hit stands: not in a question, not negated under mode. */
static int
stands(const struct pass *ps, const struct hit *h, enum negation_mode mode)
{
	if (mode == NEGATION_IGNORE) {
		size_t c = ntext_clause_at(ps->t, h->start);

		return !(c < ps->t->nclauses && ps->t->clauses[c].question);
	}
	size_t ci = ntext_clause_at(ps->t, h->start);

	if (ci < ps->t->nclauses && ps->t->clauses[ci].question)
		return 0;
	return !negation_applies(ps->ng, ps->t, h->start, h->end, mode);
}

static size_t
sentence_of(const struct ntext *t, size_t pos)
{
	size_t ci = ntext_clause_at(t, pos);

	return ci < t->nclauses ? t->clauses[ci].sentence : (size_t)-1;
}

static void
add_evidence(struct pass *ps, struct score_item *si, size_t start, size_t end)
{
	size_t os, oe, i;

	if (si->nev == MAX_EVIDENCE)
		return;
	ntext_to_orig(ps->t, start, end, &os, &oe);
	/* Overlapping evidence ("保护作品完整权" and "作品完整权") is one span. */
	for (i = 0; i < si->nev; i++) {
		if (os < si->ev[i].end && oe > si->ev[i].start) {
			if (os < si->ev[i].start)
				si->ev[i].start = os;
			if (oe > si->ev[i].end)
				si->ev[i].end = oe;
			return;
		}
	}
	if (!si->ev)
		si->ev = pool_array(ps->p, MAX_EVIDENCE, sizeof *si->ev);
	si->ev[si->nev].start = os;
	si->ev[si->nev].end = oe;
	si->nev++;
}

static int
cmp_span(const void *a, const void *b)
{
	const struct score_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Evidence is shown in the order of the text. */
static void
sort_evidence(struct score_item *si)
{
	if (si->nev > 1)
		qsort(si->ev, si->nev, sizeof *si->ev, cmp_span);
}

static void
match_keypoint(struct pass *ps, const struct rubric_item *it, struct score_item *si)
{
	struct hitview v;
	size_t i, k;
	int any_ok = it->nany == 0, all_ok = 1, found;
	enum negation_mode mode = it->negation_ignore ? NEGATION_IGNORE : NEGATION_AFFIRM;

	si->item = it;
	for (i = 0; i < it->nany; i++) {
		v = find(ps, &it->any[i]);
		for (k = 0; k < v.n; k++) {
			if (stands(ps, &v.h[k], mode)) {
				any_ok = 1;
				add_evidence(ps, si, v.h[k].start, v.h[k].end);
			}
		}
	}
	for (i = 0; i < it->nall && all_ok; i++) {
		v = find(ps, &it->all[i]);
		found = 0;
		for (k = 0; k < v.n; k++) {
			if (stands(ps, &v.h[k], mode)) {
				found = 1;
				add_evidence(ps, si, v.h[k].start, v.h[k].end);
			}
		}
		if (!found)
			all_ok = 0;
	}
	si->hit = any_ok && all_ok && (it->nany || it->nall);
	if (!si->hit)
		si->nev = 0;
	sort_evidence(si);
}

/* Sentences (sorted, unique) in which a term of terms is asserted. */
struct sentset {
	size_t *s;
	size_t n;
	struct hit *first; /* one asserted hit per sentence, for evidence */
};

static void
asserted_sentences(struct pass *ps, const struct term *terms, size_t nterms, struct sentset *out)
{
	struct hitview v;
	size_t i, k, sent, j, cap = 0, fcap = 0;

	out->n = 0;
	out->s = NULL;
	out->first = NULL;
	for (i = 0; i < nterms; i++) {
		v = find(ps, &terms[i]);
		for (k = 0; k < v.n; k++) {
			if (!stands(ps, &v.h[k], NEGATION_CLAIM))
				continue;
			sent = sentence_of(ps->t, v.h[k].start);
			for (j = 0; j < out->n && out->s[j] != sent; j++)
				;
			if (j < out->n)
				continue;
			out->s = pool_grow(ps->p, out->s, out->n, &cap, sizeof *out->s);
			out->first =
				pool_grow(ps->p, out->first, out->n, &fcap, sizeof *out->first);
			out->s[out->n] = sent;
			out->first[out->n] = v.h[k];
			out->n++;
		}
	}
}

static const struct hit *
in_set(const struct sentset *ss, size_t sent)
{
	size_t j;

	for (j = 0; j < ss->n; j++)
		if (ss->s[j] == sent)
			return &ss->first[j];
	return NULL;
}

/* Whether a hit is in a clause that asks rather than asserts. */
static int
in_question(const struct pass *ps, const struct hit *h)
{
	size_t ci = ntext_clause_at(ps->t, h->start);

	return ci < ps->t->nclauses && ps->t->clauses[ci].question;
}

/*
 * A forbidden claim is made where an `any` hit and a `near` hit stand in one
 * sentence, neither denied.  The pair is judged together: a cue inside one
 * of the two matches belongs to the claim's own words and does not deny the
 * other ("依法禁止出版的作品不受本法保护", with any 不受本法保护, near 禁止出版).
 */
static void
match_forbidden(struct pass *ps, const struct rubric_item *it, struct score_item *si)
{
	struct sentset all[8];
	struct hit *near = NULL;
	size_t *near_sent = NULL, nnear = 0, ncap = 0, scap = 0;
	struct hitview v;
	size_t i, j, k, m, sent, nall = it->nall < 8 ? it->nall : 8;
	int ignore = it->negation_ignore;

	si->item = it;
	for (i = 0; i < it->nnear; i++) {
		v = find(ps, &it->near[i]);
		for (k = 0; k < v.n; k++) {
			if (in_question(ps, &v.h[k]))
				continue;
			near = pool_grow(ps->p, near, nnear, &ncap, sizeof *near);
			near_sent = pool_grow(ps->p, near_sent, nnear, &scap, sizeof *near_sent);
			near[nnear] = v.h[k];
			near_sent[nnear++] = sentence_of(ps->t, v.h[k].start);
		}
	}
	for (j = 0; j < nall; j++)
		asserted_sentences(ps, &it->all[j], 1, &all[j]);
	for (i = 0; i < it->nany; i++) {
		v = find(ps, &it->any[i]);
		for (k = 0; k < v.n; k++) {
			const struct hit *h = &v.h[k], *nh = NULL;

			if (in_question(ps, h))
				continue;
			si->candidate = 1;
			sent = sentence_of(ps->t, h->start);
			if (it->nnear) {
				for (m = 0; m < nnear && !nh; m++) {
					if (near_sent[m] != sent)
						continue;
					if (ignore ||
					    (!negation_applies_except(ps->ng, ps->t, h->start,
								      h->end, NEGATION_CLAIM,
								      near[m].start, near[m].end) &&
					     !negation_applies_except(ps->ng, ps->t, near[m].start,
								      near[m].end, NEGATION_CLAIM,
								      h->start, h->end)))
						nh = &near[m];
				}
				if (!nh)
					continue;
			} else if (!ignore && negation_applies(ps->ng, ps->t, h->start, h->end,
							       NEGATION_CLAIM)) {
				continue;
			}
			for (j = 0; j < nall; j++)
				if (!in_set(&all[j], sent))
					break;
			if (j < nall)
				continue;
			si->hit = 1;
			add_evidence(ps, si, h->start, h->end);
			if (nh)
				add_evidence(ps, si, nh->start, nh->end);
		}
	}
	sort_evidence(si);
}

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/*
 * Whether the sentence around pos says that something was deleted or
 * repealed: an answer that names a deleted article in such a sentence
 * ("刑法第一百九十九条已被《刑法修正案（九）》删除") is right, not inventing.
 */
static int
sentence_tells_deletion(const struct ntext *t, size_t pos)
{
	static const char *const words[] = {"删除",     "删去",    "废止",     "废除",
					    "取消",     "失效",    "不复存在", "deleted",
					    "repealed", "removed", "abolished"};
	static const char *const past[] = {"曾",      "原",         "旧",
					   "以前",    "之前",       "formerly",
					   "used to", "previously", "once provided"};
	size_t ci = ntext_clause_at(t, pos), a, b, k;
	uint32_t sent;

	if (ci >= t->nclauses)
		return 0;
	sent = t->clauses[ci].sentence;
	for (a = ci; a > 0 && t->clauses[a - 1].sentence == sent; a--)
		;
	for (b = ci; b + 1 < t->nclauses && t->clauses[b + 1].sentence == sent; b++)
		;
	for (k = 0; k < ARRAY_SIZE(words); k++)
		if (memmem(t->s + t->clauses[a].start, t->clauses[b].end - t->clauses[a].start,
			   words[k], strlen(words[k])))
			return 1;
	/* Or its own clause speaks of the past: "原刑法第一百九十九条曾规定". */
	for (k = 0; k < ARRAY_SIZE(past); k++)
		if (memmem(t->s + t->clauses[ci].start, t->clauses[ci].end - t->clauses[ci].start,
			   past[k], strlen(past[k])))
			return 1;
	return 0;
}

/* The law a bare 第十条 falls back to: the turn's source, else an item's. */
static const struct law *
default_law(const struct rubric_turn *t)
{
	size_t i;

	if (t->source.law)
		return t->source.law;
	for (i = 0; i < t->nkeypoints; i++)
		if (t->keypoints[i].source.law)
			return t->keypoints[i].source.law;
	for (i = 0; i < t->nexpect; i++)
		if (t->expect[i].law)
			return t->expect[i].law;
	return NULL;
}

static void
mark_matched(struct score_item *si)
{
	si->match_hit = si->hit;
	si->judge_hit = -1;
	si->method = METHOD_MATCH;
}

int
score_answer(const struct rubric *r, const struct rubric_turn *turn, const struct rubric_turn *prev,
	     const struct statutes *st, const struct score_input *in,
	     const struct score_options *opt, struct score_result *out)
{
	struct ntext t;
	struct negation ng;
	struct pass ps;
	struct citation *cites;
	struct langmix_skip *skip;
	struct score_options defaults;
	size_t i, n, s, e;
	int any_hit = 0;

	if (!opt) {
		score_options_default(&defaults);
		opt = &defaults;
	}
	memset(out, 0, sizeof *out);
	pool_init(&out->pool, 0);
	out->turn = turn ? turn->turn : 0;
	ntext_init(&t, &out->pool, in->answer ? in->answer : "", in->answer ? in->answer_len : 0);
	negation_scan(&ng, &out->pool, &t);
	ps.t = &t;
	ps.ng = &ng;
	ps.p = &out->pool;
	ps.md = term_match_data();
	ps.turn = turn;
	ps.cache = NULL;
	if (turn)
		index_literals(&ps);

	/* Behaviour first: it does not depend on the rubric. */
	out->truncated_in_reasoning =
		in->reasoning_unclosed ||
		(in->finish_length && blank(in->answer, in->answer_len) && in->reasoning_len > 0);
	out->reasoning_tokens = in->reasoning_tokens;
	out->answer_tokens = in->answer_tokens;
	if (out->reasoning_tokens < 0) {
		out->reasoning_tokens =
			in->reasoning ? tokens_estimate(in->reasoning, in->reasoning_len) : 0;
		out->tokens_estimated = 1;
	}
	if (out->answer_tokens < 0) {
		out->answer_tokens = tokens_estimate(in->answer, in->answer_len);
		out->tokens_estimated = 1;
	}
	loop_measure(in->reasoning, in->reasoning_len, &out->loop_reasoning);
	loop_measure(in->answer, in->answer_len, &out->loop_answer);
	out->loop_flagged = out->loop_reasoning.repeated_sentence ||
			    out->loop_answer.repeated_sentence ||
			    (out->loop_reasoning.ngrams >= opt->loop_min_ngrams &&
			     out->loop_reasoning.rep4 > opt->loop_threshold) ||
			    (out->loop_answer.ngrams >= opt->loop_min_ngrams &&
			     out->loop_answer.rep4 > opt->loop_threshold);

	if (turn) {
		out->scored = 1;
		out->nkeypoints = turn->nkeypoints;
		out->keypoints = pool_array(&out->pool, n = turn->nkeypoints ? turn->nkeypoints : 1,
					    sizeof *out->keypoints);
		for (i = 0; i < turn->nkeypoints; i++) {
			match_keypoint(&ps, &turn->keypoints[i], &out->keypoints[i]);
			any_hit |= out->keypoints[i].hit;
		}
		out->nforbidden = turn->nforbidden;
		out->forbidden = pool_array(&out->pool, turn->nforbidden ? turn->nforbidden : 1,
					    sizeof *out->forbidden);
		for (i = 0; i < turn->nforbidden; i++)
			match_forbidden(&ps, &turn->forbidden[i], &out->forbidden[i]);
	}

	/* Citations. */
	n = citation_extract(&t, &out->pool, st, turn ? default_law(turn) : NULL, &cites);
	citation_classify(cites, n, turn);
	out->ncitations = n;
	out->citations = pool_array(&out->pool, n ? n : 1, sizeof *out->citations);
	skip = pool_array(&out->pool, n ? n : 1, sizeof *skip);
	for (i = 0; i < n; i++) {
		out->citations[i].c = cites[i];
		ntext_to_orig(&t, cites[i].start, cites[i].end, &s, &e);
		out->citations[i].span.start = s;
		out->citations[i].span.end = e;
		skip[i].start = cites[i].start;
		skip[i].end = cites[i].end;
		/* "著作权法并没有第七十条", "第一百九十九条已被删除": a citation the
		 * answer denies is not a claim that the article exists. */
		out->citations[i].denied =
			negation_applies(&ng, &t, cites[i].start, cites[i].end, NEGATION_CLAIM) ||
			(cites[i].law &&
			 law_article_deleted(cites[i].law, cites[i].article, cites[i].sub) &&
			 sentence_tells_deletion(&t, cites[i].start));
	}

	/* Language mix, on the answer only. */
	langmix_measure(&t, in->language, skip, n, r ? r->allow_latin : NULL,
			r ? r->nallow_latin : 0, opt->mix_threshold, &out->mix);
	if (out->mix.first_end)
		ntext_to_orig(&t, out->mix.first_start, out->mix.first_end, &out->mix_first.start,
			      &out->mix_first.end);

	/* Score, coverage, passed. */
	for (i = 0; i < out->nkeypoints; i++)
		mark_matched(&out->keypoints[i]);
	for (i = 0; i < out->nforbidden; i++)
		mark_matched(&out->forbidden[i]);
	score_rescore(turn, out);

	/* Abstention: empty (and not cut off), or a refusal that says nothing. */
	if (!out->truncated_in_reasoning) {
		if (blank(in->answer, in->answer_len)) {
			out->abstained = 1;
		} else if (!any_hit && abstain_find(&t, &s, &e)) {
			out->abstained = 1;
			ntext_to_orig(&t, s, e, &out->abstain_span.start, &out->abstain_span.end);
		}
	}

	/* Follow-up: does this answer fit the previous turn better than its own? */
	if (turn && prev && prev->nkeypoints && prev->positive > 0) {
		struct score_item tmp;
		double pm = 0;

		out->followup_checked = 1;
		for (i = 0; i < prev->nkeypoints; i++) {
			memset(&tmp, 0, sizeof tmp);
			match_keypoint(&ps, &prev->keypoints[i], &tmp);
			if (tmp.hit)
				pm += prev->keypoints[i].points;
		}
		out->prev_coverage = pm / prev->positive;
		out->followup_ignored = out->prev_coverage > out->coverage && !out->passed;
	}
	pcre2_match_data_free(ps.md);
	return 0;
}

static int
citation_hallucinated(const struct score_citation *c)
{
	return !c->denied &&
	       (c->c.status == CITATION_NONEXISTENT || c->c.status == CITATION_MISGROUNDED);
}

void
score_rescore(const struct rubric_turn *turn, struct score_result *res)
{
	double met = 0, neg = 0, positive;
	size_t i;

	if (!turn)
		return;
	res->hallucinated = 0;
	for (i = 0; i < res->nkeypoints; i++)
		if (res->keypoints[i].hit)
			met += res->keypoints[i].item->points;
	for (i = 0; i < res->nforbidden; i++)
		if (res->forbidden[i].hit) {
			neg += res->forbidden[i].item->points;
			res->hallucinated = 1;
		}
	for (i = 0; i < res->ncitations; i++)
		if (citation_hallucinated(&res->citations[i]))
			res->hallucinated = 1;
	positive = turn->positive;
	if (positive > 0) {
		res->coverage = met / positive;
		res->score = (met + neg) / positive;
	} else {
		res->coverage = 1;
		res->score = res->hallucinated ? 0 : 1;
	}
	res->passed = res->score >= turn->pass - 1e-9 && !res->hallucinated;
}

int
score_item_undecided(const struct score_item *si, int forbidden, int all)
{
	if (all)
		return 1;
	return forbidden ? !si->hit && si->candidate : !si->hit;
}

void
score_item_judged(struct score_result *res, struct score_item *si, int met, const char *explanation,
		  const char *error)
{
	if (error) {
		si->method = METHOD_JUDGE_ERROR;
		si->explanation = pool_strdup(&res->pool, error);
		return;
	}
	si->judge_hit = met ? 1 : 0;
	si->hit = si->judge_hit;
	si->method = METHOD_JUDGE;
	si->explanation = pool_strdup(&res->pool, explanation ? explanation : "");
}

const char *
score_method_name(enum score_method m)
{
	switch (m) {
	case METHOD_JUDGE: return "judge";
	case METHOD_JUDGE_ERROR: return "judge_error";
	case METHOD_REVIEW: return "review";
	default: return "match";
	}
}

int
score_text(const struct rubric *r, const struct rubric_turn *turn, const struct rubric_turn *prev,
	   const struct statutes *st, const char *text, size_t len, const char *language,
	   const struct score_options *opt, struct score_result *out, size_t *answer_at)
{
	struct think_split sp;
	struct score_input in;

	think_split(text, len, &sp);
	memset(&in, 0, sizeof in);
	in.answer = text + sp.answer_start;
	in.answer_len = sp.answer_end - sp.answer_start;
	in.reasoning = text + sp.reasoning_start;
	in.reasoning_len = sp.reasoning_end - sp.reasoning_start;
	in.reasoning_unclosed = sp.unclosed;
	in.reasoning_tokens = -1;
	in.answer_tokens = -1;
	in.language = language;
	if (answer_at)
		*answer_at = sp.answer_start;
	return score_answer(r, turn, prev, st, &in, opt, out);
}

void
score_result_deinit(struct score_result *out)
{
	pool_deinit(&out->pool);
	memset(out, 0, sizeof *out);
}

/* --- JSON ----------------------------------------------------------------- */

static json_t *
text_of(struct pool *p, const char *answer, size_t start, size_t end)
{
	size_t n;
	char *s = text_sanitize(p, answer + start, end - start, &n);

	return json_stringn(s, n);
}

static json_t *
evidence_json(struct pool *p, const struct score_item *si, const char *answer, size_t base)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < si->nev; i++)
		json_array_append_new(
			a,
			json_pack("{s:I, s:I, s:o}", "start", (json_int_t)(si->ev[i].start + base),
				  "end", (json_int_t)(si->ev[i].end + base), "text",
				  text_of(p, answer, si->ev[i].start, si->ev[i].end)));
	return a;
}

static double
round6(double v)
{
	return round(v * 1e6) / 1e6;
}

json_t *
score_result_json(const struct score_result *res, const char *answer, size_t base)
{
	struct pool p;
	json_t *o, *kp, *fb, *ct, *mix, *loop;
	const struct score_citation *c;
	char art[64];
	size_t i;

	pool_init(&p, 0);
	kp = json_array();
	for (i = 0; i < res->nkeypoints; i++) {
		const struct score_item *si = &res->keypoints[i];

		json_array_append_new(kp,
				      json_pack("{s:s, s:f, s:b, s:o}", "id", si->item->id,
						"points", si->item->points, "hit", si->hit,
						"evidence", evidence_json(&p, si, answer, base)));
	}
	fb = json_array();
	for (i = 0; i < res->nforbidden; i++) {
		const struct score_item *si = &res->forbidden[i];

		json_array_append_new(fb,
				      json_pack("{s:s, s:f, s:b, s:s?, s:o}", "id", si->item->id,
						"points", si->item->points, "triggered", si->hit,
						"claim", si->item->claim, "evidence",
						evidence_json(&p, si, answer, base)));
	}
	ct = json_array();
	for (i = 0; i < res->ncitations; i++) {
		json_t *one;

		c = &res->citations[i];
		law_article_name(c->c.law, c->c.article, c->c.sub, art, sizeof art);
		one = json_pack("{s:o, s:s?, s:i, s:s, s:I, s:I, s:s}", "text",
				text_of(&p, answer, c->span.start, c->span.end), "law",
				c->c.law_name, "article", c->c.article, "status",
				citation_status_name(c->c.status), "start",
				(json_int_t)(c->span.start + base), "end",
				(json_int_t)(c->span.end + base), "article_name", art);
		if (c->c.sub)
			json_object_set_new(one, "sub", json_integer(c->c.sub));
		if (c->c.paragraph)
			json_object_set_new(one, "paragraph", json_integer(c->c.paragraph));
		if (c->c.item)
			json_object_set_new(one, "item", json_integer(c->c.item));
		if (c->c.law) {
			json_object_set_new(one, "law_id", json_string(c->c.law->id));
			if (c->c.law->superseded_by)
				json_object_set_new(one, "superseded_by",
						    json_string(c->c.law->superseded_by));
		}
		json_object_set_new(one, "bare", json_boolean(c->c.bare));
		if (c->denied)
			json_object_set_new(one, "denied", json_true());
		if (c->c.law && law_article_deleted(c->c.law, c->c.article, c->c.sub))
			json_object_set_new(one, "deleted", json_true());
		json_array_append_new(ct, one);
	}
	mix = json_pack("{s:f, s:I, s:I, s:b}", "ratio", round6(res->mix.ratio), "latin_words",
			(json_int_t)res->mix.latin_words, "han_chars",
			(json_int_t)res->mix.han_chars, "flagged", res->mix.flagged);
	if (res->mix_first.end > res->mix_first.start)
		json_object_set_new(
			mix, "first",
			json_pack("{s:I, s:I, s:o}", "start",
				  (json_int_t)(res->mix_first.start + base), "end",
				  (json_int_t)(res->mix_first.end + base), "text",
				  text_of(&p, answer, res->mix_first.start, res->mix_first.end)));
	loop = json_pack("{s:f, s:f, s:b, s:b}", "rep4_reasoning", round6(res->loop_reasoning.rep4),
			 "rep4_answer", round6(res->loop_answer.rep4), "repeated_sentence",
			 res->loop_reasoning.repeated_sentence ||
				 res->loop_answer.repeated_sentence,
			 "flagged", res->loop_flagged);
	if (res->loop_answer.repeat_count >= 3)
		json_object_set_new(loop, "repeated_in_answer",
				    json_pack("{s:I, s:I, s:i, s:o}", "start",
					      (json_int_t)(res->loop_answer.repeat_start + base),
					      "end",
					      (json_int_t)(res->loop_answer.repeat_end + base),
					      "count", res->loop_answer.repeat_count, "text",
					      text_of(&p, answer, res->loop_answer.repeat_start,
						      res->loop_answer.repeat_end)));
	if (res->loop_reasoning.repeat_count >= 3)
		json_object_set_new(loop, "repeated_in_reasoning_count",
				    json_integer(res->loop_reasoning.repeat_count));
	o = json_pack("{s:i, s:o, s:o, s:b, s:b, s:b, s:b, s:I, s:I, s:b, s:o, s:o, s:o, s:o, "
		      "s:o}",
		      "turn", res->turn, "score",
		      res->scored ? json_real(round6(res->score)) : json_null(), "coverage",
		      res->scored ? json_real(round6(res->coverage)) : json_null(), "passed",
		      res->passed, "hallucinated", res->hallucinated, "abstained", res->abstained,
		      "truncated_in_reasoning", res->truncated_in_reasoning, "reasoning_tokens",
		      (json_int_t)res->reasoning_tokens, "answer_tokens",
		      (json_int_t)res->answer_tokens, "tokens_estimated", res->tokens_estimated,
		      "keypoints", kp, "forbidden", fb, "citations", ct, "language_mix", mix,
		      "loop", loop);
	if (res->followup_checked) {
		json_object_set_new(o, "followup_ignored", json_boolean(res->followup_ignored));
		json_object_set_new(o, "previous_turn_coverage",
				    json_real(round6(res->prev_coverage)));
	}
	pool_deinit(&p);
	return o;
}
