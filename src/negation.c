/*
 * negation.c - negation cues and their scope.
 *
 * A match that sits inside a denial must not count: "著作权不包括专利权"
 * mentions 专利权 but denies the claim.  Finding that is a small grammar of
 * cues, kept here as data:
 *
 *   negator  不 没有 无 未 并非 / not no never without except ...
 *            negates what follows it in the clause.
 *   denial   不属于 不是 不包括 不在 / is not, are not, not part of ...
 *            negates what follows, and also what precedes it
 *            ("专利权不属于著作权", "patents are not part of copyright").
 *   modal    不得 不能 无需 / cannot, may not, need not ...
 *            prohibits an act; denies a claim, never a key point's term
 *            ("署名权不得转让" still names 署名权).
 *   breaker  但 而 也 仍 却 ( ) / but, still, also, however, if ...
 *            ends the reach of a cue within the clause
 *            ("著作权不包括商标权但包括专利权", "不判死刑（……的除外）").
 *   pred     的 就 要 应当 可以 …, and 、 between list items: for a key point,
 *            a plain negator (不 没 未) does not reach past them ("不签合同
 *            要付二倍工资", "不营利的免费表演", "未实施、构成垄断"); a denial
 *            does ("没有规定要提前三个月", "不包括专利权、商标权").
 *   np-neg   no, without, none: negate a noun phrase; for a key point their
 *            reach ends at the next verb ("without a domicile ... get thirty
 *            days"); for a claim they reach the whole clause.
 *   reported what others (wrongly) say: 有人认为 误以为 常见误解 / people
 *            often say, a common misconception; withdraws a claim made in
 *            its clause, never a key point.
 *   mask     words that contain a negator but deny nothing: 不仅 不但
 *            (not only), 不动产, 不可抗力, 无期徒刑, 未成年, 不超过 (a
 *            bound, not a denial), not only, not limited to, no later than.
 *
 * Cues are found longest first at each position, so a mask consumes the
 * negator inside it.  English cues match whole words only.  A cue's reach
 * never crosses a clause boundary (text.c splits clauses at ，。；！？ , ; .
 * and line breaks).
 */
#include "amconfig.h"

#include "negation.h"
#include "lexset.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum cue_kind {
	NEGATOR = 1,
	DENIAL = 2,
	MODAL = 4,
	BREAKER = 8,
	MASK = 16,
	REPORTED = 32,
	NP_NEGATOR = 64, /* no, without, none: negate a noun phrase, not the verb after it */
	VERB = 128,      /* an English verb: ends an NP_NEGATOR's reach for key points */
	ENUM = 256,      /* 、: a plain negator in one item does not reach the next */
	PRED = 512, /* 就 要 应当 的 …: a new predicate a plain negator does not reach */
};

struct lex {
	const char *w;
	uint16_t kind;
};

static const struct lex lexicon[] = {
	/* Chinese negators. */
	{"不", NEGATOR},
	{"没有", NEGATOR},
	{"没", NEGATOR},
	{"无", NEGATOR},
	{"未", NEGATOR},
	{"并非", NEGATOR},
	{"而非", NEGATOR},
	{"绝非", NEGATOR},
	{"未必", NEGATOR},
	{"否认", NEGATOR},
	/* Chinese denials: negate on both sides. */
	{"不属于", DENIAL},
	{"并不属于", DENIAL},
	{"不是", DENIAL},
	{"并不是", DENIAL},
	{"并不", DENIAL},
	{"不包括", DENIAL},
	{"不包含", DENIAL},
	{"不涵盖", DENIAL},
	{"不在", DENIAL},
	{"不算", DENIAL},
	{"不构成", DENIAL},
	{"不存在", DENIAL},
	{"不归", DENIAL},
	{"不列入", DENIAL},
	{"不计入", DENIAL},
	{"不适用", DENIAL},
	{"不受", NEGATOR},
	{"并无", DENIAL},
	{"没有规定", DENIAL},
	{"是错误的", DENIAL},
	{"这是错误", DENIAL},
	{"说法错误", DENIAL},
	{"是错的", DENIAL},
	{"不正确", DENIAL},
	{"不准确", DENIAL},
	{"误解", DENIAL},
	{"已废止", DENIAL},
	{"已被废止", DENIAL},
	{"已失效", DENIAL},
	/* Chinese modals: prohibitions and needs. */
	{"不得", MODAL},
	{"不能", MODAL},
	{"不可", MODAL},
	{"不可以", MODAL},
	{"不应", MODAL},
	{"不应当", MODAL},
	{"不应该", MODAL},
	{"不宜", MODAL},
	{"不必", MODAL},
	{"不需", MODAL},
	{"不需要", MODAL},
	{"无需", MODAL},
	{"无须", MODAL},
	{"毋须", MODAL},
	{"禁止", MODAL},
	{"严禁", MODAL},
	{"不允许", MODAL},
	{"不准", MODAL},
	{"无权", MODAL},
	/* Chinese breakers. */
	{"但", BREAKER},
	{"但是", BREAKER},
	{"而", BREAKER},
	{"却", BREAKER},
	{"也", BREAKER},
	{"仍", BREAKER},
	{"仍然", BREAKER},
	{"依然", BREAKER},
	{"同样", BREAKER},
	{"然而", BREAKER},
	{"只是", BREAKER},
	{"则", BREAKER},
	{"照样", BREAKER},
	{"反而", BREAKER},
	{"的", PRED},
	{"而是", BREAKER},
	/* Chinese masks: contain a negator, deny nothing. */
	{"不仅", MASK},
	{"不但", MASK},
	{"不只", MASK},
	{"不光", MASK},
	{"不单", MASK},
	{"不止", MASK},
	{"不论", MASK},
	{"不管", MASK},
	{"不同", MASK},
	{"不断", MASK},
	{"不少", MASK},
	{"不久", MASK},
	{"不过", MASK},
	{"不停", MASK},
	{"不得不", MASK},
	{"不外乎", MASK},
	{"不可或缺", MASK},
	{"不如", MASK},
	{"不然", MASK},
	{"不妨", MASK},
	{"不禁", MASK},
	{"不免", MASK},
	{"毫不", MASK},
	{"不动产", MASK},
	{"不当得利", MASK},
	{"不可抗力", MASK},
	{"不安抗辩", MASK},
	{"不作为", MASK},
	{"不起诉", MASK},
	{"不正当", MASK},
	{"不特定", MASK},
	{"不良", MASK},
	{"不满", MASK},
	{"不超过", MASK},
	{"不少于", MASK},
	{"不低于", MASK},
	{"不高于", MASK},
	{"不足", MASK},
	{"不多于", MASK},
	{"不晚于", MASK},
	{"不早于", MASK},
	{"不得超过", MASK},
	{"不得少于", MASK},
	{"不得低于", MASK},
	{"不得高于", MASK},
	{"不迟于", MASK},
	{"不定期", MASK},
	{"无固定期限", MASK},
	{"不可撤销", MASK},
	{"不真正", MASK},
	{"无论", MASK},
	{"无疑", MASK},
	{"无非", MASK},
	{"无数", MASK},
	{"无偿", MASK},
	{"无形", MASK},
	{"无限", MASK},
	{"无效", MASK},
	{"无权代理", MASK},
	{"无因管理", MASK},
	{"无过错", MASK},
	{"无民事行为能力", MASK},
	{"无期徒刑", MASK},
	{"无罪", MASK},
	{"无主", MASK},
	{"无记名", MASK},
	{"无国籍", MASK},
	{"无行为能力", MASK},
	{"未来", MASK},
	{"未成年", MASK},
	{"未经", MASK},
	{"没收", MASK},
	{"除非", MASK},
	{"非但", MASK},
	{"差不多", MASK},
	{"对不起", MASK},
	{"了不起", MASK},
	{"不得已", MASK},
	{"怪不得", MASK},
	{"少不了", MASK},
	{"离不开", MASK},
	{"忍不住", MASK},
	{"不予", NEGATOR},
	/* English negators (whole words; text is case-folded). */
	{"not", NEGATOR},
	{"no", NP_NEGATOR},
	{"never", NEGATOR},
	{"none", NP_NEGATOR},
	{"neither", NEGATOR},
	{"nor", NEGATOR},
	{"without", NP_NEGATOR},
	{"except", NEGATOR},
	{"excluding", NEGATOR},
	{"excludes", NEGATOR},
	{"exclude", NEGATOR},
	{"doesn't", NEGATOR},
	{"don't", NEGATOR},
	{"didn't", NEGATOR},
	{"hasn't", NEGATOR},
	{"haven't", NEGATOR},
	{"hadn't", NEGATOR},
	{"nothing", NEGATOR},
	{"nowhere", NEGATOR},
	{"lacks", NEGATOR},
	{"rather than", NEGATOR},
	{"instead of", NEGATOR},
	/* English denials. */
	{"is not", DENIAL},
	{"are not", DENIAL},
	{"was not", DENIAL},
	{"were not", DENIAL},
	{"isn't", DENIAL},
	{"aren't", DENIAL},
	{"wasn't", DENIAL},
	{"weren't", DENIAL},
	{"not part of", DENIAL},
	{"not included", DENIAL},
	{"not covered", DENIAL},
	{"not among", DENIAL},
	{"not one of", DENIAL},
	{"is no", DENIAL},
	{"are no", DENIAL},

	{"misconception", DENIAL},
	{"no longer", DENIAL},
	{"repealed", DENIAL},
	{"does not exist", DENIAL},
	/* English modals. */
	{"cannot", MODAL},
	{"can't", MODAL},
	{"can not", MODAL},
	{"may not", MODAL},
	{"must not", MODAL},
	{"shall not", MODAL},
	{"need not", MODAL},
	{"needn't", MODAL},
	{"should not", MODAL},
	{"shouldn't", MODAL},
	{"won't", MODAL},
	{"wouldn't", MODAL},
	{"couldn't", MODAL},
	{"mustn't", MODAL},
	{"not required", MODAL},
	{"not necessary", MODAL},
	{"no need", MODAL},
	{"prohibited", MODAL},
	/* English breakers. */
	{"but", BREAKER},
	{"still", BREAKER},
	{"also", BREAKER},
	{"yet", BREAKER},
	{"however", BREAKER},
	{"although", BREAKER},
	{"though", BREAKER},
	{"whereas", BREAKER},
	{"while", BREAKER},
	{"instead", BREAKER},
	{"rather", BREAKER},
	/* Chinese: a modal or 就 after a negated verb phrase starts a new
	 * predicate ("不签合同就要付二倍工资"). */
	{"就", PRED},
	{"应当", PRED},
	{"应该", PRED},
	{"必须", PRED},
	{"须", PRED},
	{"需要", PRED},
	{"可以", PRED},
	{"才", PRED},
	{"并不得", MODAL},
	{"并不能", MODAL},
	{"并不应", MODAL},
	{"且不得", MODAL},
	{"不要", MODAL},
	{"要", PRED},
	{"要求", MASK},
	{"要件", MASK},
	{"要素", MASK},
	{"要点", MASK},
	{"主要", MASK},
	{"重要", MASK},
	{"只要", MASK},
	{"必要", MASK},
	{"摘要", MASK},
	{"概要", MASK},
	{"纲要", MASK},
	{"未满", MASK},
	{"尚未满", MASK},
	{"未届", MASK},
	{"不服", MASK},
	{"未达到", MASK},
	/* Deleted and repealed provisions. */
	{"已被删除", DENIAL},
	{"已删除", DENIAL},
	{"被删除", DENIAL},
	{"已经删除", DENIAL},
	{"被删去", DENIAL},
	{"已被删去", DENIAL},
	{"删去", DENIAL},
	{"被废止", DENIAL},
	{"已经废止", DENIAL},
	{"不复存在", DENIAL},
	{"was deleted", DENIAL},
	{"was repealed", DENIAL},
	{"been repealed", DENIAL},
	{"been deleted", DENIAL},
	{"was removed", DENIAL},
	{"been removed", DENIAL},
	/* English verbs: the end of a "no"/"without" noun phrase. */
	{"is", VERB},
	{"are", VERB},
	{"was", VERB},
	{"were", VERB},
	{"be", VERB},
	{"has", VERB},
	{"have", VERB},
	{"had", VERB},
	{"get", VERB},
	{"gets", VERB},
	{"receive", VERB},
	{"receives", VERB},
	{"may", VERB},
	{"can", VERB},
	{"shall", VERB},
	{"must", VERB},
	{"will", VERB},
	{"should", VERB},
	{"applies", VERB},
	{"apply", VERB},
	{"lasts", VERB},
	{"last", VERB},
	{"covers", VERB},
	{"includes", VERB},
	{"protects", VERB},
	{"grants", VERB},
	{"gives", VERB},
	{"means", VERB},
	{"requires", VERB},
	{"runs", VERB},
	{"owns", VERB},
	{"holds", VERB},
	{"pays", VERB},
	{"needs", VERB},
	{"need", VERB},
	{"is false", DENIAL},
	{"is wrong", DENIAL},
	{"is incorrect", DENIAL},
	{"are wrong", DENIAL},
	{"are incorrect", DENIAL},
	{"is not true", DENIAL},
	{"is untrue", DENIAL},
	{"that's wrong", DENIAL},
	{"not correct", DENIAL},
	{"无法", MODAL},
	{"无正当理由", MASK},
	{"没有正当理由", MASK},
	/* English subordinate clauses start a new predicate. */
	{"if", BREAKER},
	{"when", BREAKER},
	{"once", BREAKER},
	{"unless", BREAKER},
	{"because", BREAKER},
	{"where", BREAKER},
	{"after", BREAKER},
	{"since", BREAKER},
	{"before", BREAKER},
	{"until", BREAKER},
	/* Reported speech: the clause says what others claim. */
	{"有人认为", REPORTED},
	{"有人说", REPORTED},
	{"有观点认为", REPORTED},
	{"误认为", REPORTED},
	{"误以为", REPORTED},
	{"常见的误解", REPORTED},
	{"常见误解", REPORTED},
	{"误区", REPORTED},
	{"被误传", REPORTED},
	{"常被误认为", REPORTED},
	{"通常被认为", REPORTED},
	{"often say", REPORTED},
	{"people say", REPORTED},
	{"some say", REPORTED},
	{"often claimed", REPORTED},
	{"commonly believed", REPORTED},
	{"mistakenly", REPORTED},
	{"myth", REPORTED},
	{"it is often said", REPORTED},
	{"some people think", REPORTED},
	{"以为", REPORTED},
	{"错认为", REPORTED},
	{"常有人说", REPORTED},
	{"mistakenly think", REPORTED},
	{"common misconception", REPORTED},
	{"it's a myth", REPORTED},
	/* English masks. */
	{"not only", MASK},
	{"not limited to", MASK},
	{"no later than", MASK},
	{"not later than", MASK},
	{"no more than", MASK},
	{"not more than", MASK},
	{"no less than", MASK},
	{"not less than", MASK},
	{"not exceeding", MASK},
	{"no matter", MASK},
	{"without limitation", MASK},
	{"not to mention", MASK},
	{"no fewer than", MASK},
	{"not fewer than", MASK},
	{"without prejudice", MASK},
	{"no-fault", MASK},
	{"not-for-profit", MASK},
};

static struct lexset cues;
static pthread_once_t cues_once = PTHREAD_ONCE_INIT;

static void
cues_build(void)
{
	size_t i;

	lexset_init(&cues);
	for (i = 0; i < ARRAY_SIZE(lexicon); i++)
		lexset_add(&cues, lexicon[i].w, strlen(lexicon[i].w), lexicon[i].kind);
	lexset_build(&cues);
}

static void
push(struct negation *ng, size_t *cap, size_t start, size_t end, uint16_t kind)
{
	if (ng->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		ng->cues = xrealloc(ng->cues, *cap * sizeof *ng->cues);
	}
	ng->cues[ng->n].start = (uint32_t)start;
	ng->cues[ng->n].end = (uint32_t)end;
	ng->cues[ng->n].kind = kind;
	ng->n++;
}

static void
free_ptr(void *p)
{
	free(p);
}

void
negation_scan(struct negation *ng, struct pool *p, const struct ntext *t)
{
	const char *s = t->s;
	size_t len = t->len, i = 0, cap = 0;
	const struct lexset_entry *e;
	unsigned char c;

	pthread_once(&cues_once, cues_build);
	ng->cues = NULL;
	ng->n = 0;
	while (i < len) {
		c = (unsigned char)s[i];
		if (c == '(' || c == ')') {
			/* A negation inside (…) stays inside; one outside does not reach in. */
			push(ng, &cap, i, i + 1, BREAKER);
			i++;
			continue;
		}
		if (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		    (unsigned char)s[i + 2] == 0x81) {
			/* 、 separates the items of a list */
			push(ng, &cap, i, i + 3, ENUM);
			i += 3;
			continue;
		}
		if (c < 0x80 && !(c >= 'a' && c <= 'z')) {
			i++;
			continue;
		}
		e = lexset_match(&cues, s, len, i);
		if (e) {
			if (e->value != MASK)
				push(ng, &cap, i, i + e->len, (uint16_t)e->value);
			i += e->len;
			continue;
		}
		/* Step past the English word, or to the next character. */
		if (c < 0x80) {
			while (i < len && text_is_wordchar(text_cp_at(s, len, i)))
				i++;
		} else {
			i++;
			while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
		}
	}
	if (ng->cues)
		pool_defer(p, free_ptr, ng->cues);
}

/* Index of the first cue that ends after pos. */
static size_t
first_cue_from(const struct negation *ng, size_t pos)
{
	size_t lo = 0, hi = ng->n, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ng->cues[mid].end <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Whether the part of a cue before a match carries the negation itself: the
 * 不 of 不属于 before 属于著作权 does; 已经 of 已经删除 before 删除 does not.
 */
static int
negates_alone(const char *s, size_t n)
{
	static const char *const words[] = {"不", "没",  "无", "未",  "非",   "否",
					    "勿", "not", "no", "n't", "never"};
	size_t k, l;

	for (k = 0; k < ARRAY_SIZE(words); k++) {
		l = strlen(words[k]);
		if (n >= l && memmem(s, n, words[k], l))
			return 1;
	}
	return 0;
}

int
negation_applies_except(const struct negation *ng, const struct ntext *t, size_t start, size_t end,
			enum negation_mode mode, size_t xstart, size_t xend)
{
	const struct text_clause *cl;
	const struct negation_cue *q;
	size_t ci, k, j;
	uint16_t before = mode == NEGATION_CLAIM ? NEGATOR | NP_NEGATOR | DENIAL | MODAL | REPORTED
						 : NEGATOR | NP_NEGATOR | DENIAL;
	/* After a term only a denial of it counts ("专利权不属于著作权"); a
	 * negation later in the clause belongs to another predicate ("valid for
	 * 20 years and cannot be renewed"). */
	uint16_t after = mode == NEGATION_CLAIM ? DENIAL | REPORTED : DENIAL;
	/* A modal that runs into the term denies it when the term is the
	 * permission itself: 不可以 in "不可以追诉" against 可以追诉. */
	uint16_t overlap = before | MODAL;
	int verb_seen = 0, enum_seen = 0, pred_seen = 0;

	ci = ntext_clause_at(t, start);
	if (ci >= t->nclauses || !ng->n)
		return 0;
	cl = &t->clauses[ci];
	k = first_cue_from(ng, start);
	/* A cue that begins before the match and reaches into it stands before
	 * it: the 不 of 不属于 precedes 属于著作权. */
	for (j = k; j < ng->n && ng->cues[j].start < start; j++) {
		q = &ng->cues[j];
		if (q->start >= cl->start && (q->kind & overlap) &&
		    !(q->start >= xstart && q->end <= xend) &&
		    negates_alone(t->s + q->start, start - q->start))
			return 1;
	}
	/* Walk left from the match: the nearest cue decides, a breaker stops. */
	while (k > 0) {
		q = &ng->cues[--k];
		if (q->start < cl->start)
			break;
		if (q->end > start || (q->start >= xstart && q->end <= xend))
			continue;
		if (q->kind & BREAKER)
			break;
		if (q->kind & VERB) {
			verb_seen = 1;
			continue;
		}
		if (q->kind & ENUM) {
			enum_seen = 1;
			continue;
		}
		if (q->kind & PRED) {
			pred_seen = 1;
			continue;
		}
		/* "无正当理由未实施、构成垄断、公共利益需要": a 未 in one item of a
		 * list does not deny the next; a denial (不包括A、B) does. */
		if ((q->kind & (NEGATOR | NP_NEGATOR)) && (enum_seen || pred_seen) &&
		    mode == NEGATION_AFFIRM)
			continue;
		/* "without a domicile ... get thirty days": the verb ends the phrase. */
		if ((q->kind & NP_NEGATOR) && verb_seen && mode == NEGATION_AFFIRM)
			continue;
		if (q->kind & before)
			return 1;
	}
	/* Walk right from the end of the match. */
	for (k = first_cue_from(ng, end); k < ng->n; k++) {
		q = &ng->cues[k];
		if (q->start >= cl->end)
			break;
		if (q->start < end || (q->start >= xstart && q->end <= xend))
			continue;
		if (q->kind & BREAKER)
			break;
		if (q->kind & after)
			return 1;
	}
	return 0;
}

int
negation_applies(const struct negation *ng, const struct ntext *t, size_t start, size_t end,
		 enum negation_mode mode)
{
	return negation_applies_except(ng, t, start, end, mode, 0, 0);
}
