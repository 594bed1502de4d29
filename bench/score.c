/*
 * bench/score.c - how fast the scorer grades answers.
 *
 * Workload: a 20-item Chinese rubric (literal and regex terms, two forbidden
 * claims with `near`, expected citations) and 2 KB answers built from
 * sixteen variants (full and partial, with citations, negations, English
 * mixed in, reasoning).  Scores answers on one thread for a few seconds and
 * prints answers per second and the time per answer.  Prints figures; never
 * passes or fails on time.
 *
 * usage: bench/score [seconds]    (srcdir must point at the source tree)
 */
#include "amconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rubric.h"
#include "score.h"
#include "statute.h"
#include "util.h"

static const char rubric_yaml[] =
	"question: bench\n"
	"pass: 0.8\n"
	"turns:\n"
	"  1:\n"
	"    source: 著作权法 第十条\n"
	"    keypoints:\n"
	"      - {id: k01, points: 1, any: [发表权]}\n"
	"      - {id: k02, points: 1, any: [署名权]}\n"
	"      - {id: k03, points: 1, any: [修改权]}\n"
	"      - {id: k04, points: 1, any: [保护作品完整权, 作品完整权]}\n"
	"      - {id: k05, points: 1, any: [复制权]}\n"
	"      - {id: k06, points: 1, any: [发行权]}\n"
	"      - {id: k07, points: 1, any: [出租权]}\n"
	"      - {id: k08, points: 1, any: [展览权]}\n"
	"      - {id: k09, points: 1, any: [表演权]}\n"
	"      - {id: k10, points: 1, any: [放映权]}\n"
	"      - {id: k11, points: 1, any: [广播权]}\n"
	"      - {id: k12, points: 1, any: [信息网络传播权, 网络传播权]}\n"
	"      - {id: k13, points: 1, any: [摄制权]}\n"
	"      - {id: k14, points: 1, any: [改编权]}\n"
	"      - {id: k15, points: 1, any: [翻译权]}\n"
	"      - {id: k16, points: 1, any: [汇编权]}\n"
	"      - {id: k17, points: 1, any: [其他权利]}\n"
	"      - {id: k18, points: 1, any: [\"/人身权.{0,20}财产权/\"]}\n"
	"      - {id: k19, points: 1, all: [许可, 报酬]}\n"
	"      - {id: k20, points: 1, any: [\"/(五|5)\\\\s*项至第?(十七|17)\\\\s*项/\", 转让]}\n"
	"    forbidden:\n"
	"      - {id: f1, points: -5, claim: 著作权包括专利权, any: [专利权], near: [著作权包括, "
	"属于著作权]}\n"
	"      - {id: f2, points: -5, claim: 著作权包括商标权, any: [商标权], near: [著作权包括, "
	"属于著作权]}\n"
	"    citations:\n"
	"      expect: [{law: 著作权法, article: 10}]\n";

static const char *const parts[] = {
	"根据《中华人民共和国著作权法》第十条，著作权包括下列人身权和财产权：",
	"（一）发表权，即决定作品是否公之于众的权利；（二）署名权，即表明作者身份，在作品上署名的权"
	"利；",
	"（三）修改权，即修改或者授权他人修改作品的权利；（四）保护作品完整权，即保护作品不受歪曲、"
	"篡改的权利；",
	"（五）复制权，即以印刷、复印、拓印、录音、录像、翻录、翻拍、数字化等方式将作品制作一份或者"
	"多份的权利；",
	"（六）发行权；（七）出租权；（八）展览权；（九）表演权；（十）放映权；（十一）广播权；",
	"（十二）信息网络传播权，即以有线或者无线方式向公众提供，使公众可以在其选定的时间和地点获得"
	"作品的权利；",
	"（十三）摄制权；（十四）改编权；（十五）翻译权；（十六）汇编权；（十七）应当由著作权人享有"
	"的其他权利。\n",
	"著作权人可以许可他人行使第五项至第十七项规定的权利，并依照约定获得报酬，也可以全部或者部分"
	"转让这些权利。\n",
	"需要注意的是，著作权不包括专利权和商标权，专利权和商标权属于工业产权，分别由专利法和商标法"
	"调整。\n",
	"However, the author also has moral rights, which cannot be transferred. "
	"这一点在实践中很重要。\n",
	"另外，依照著作权法第二十二条，署名权、修改权和保护作品完整权的保护期不受限制。\n",
	"在司法实践中，法院会综合考虑作品的独创性、使用方式以及对权利人利益的影响，判断是否构成侵权"
	"。\n",
	"此外，著作权还包括专利权。\n",
	"总之，著作权的内容十分丰富，权利人应当依法行使权利，同时尊重他人的合法权益，不得滥用权利损"
	"害公共利益。\n",
};

static void
build_answer(struct buf *b, unsigned variant)
{
	size_t i, n = ARRAY_SIZE(parts);

	buf_init(b, 0);
	/* Different subsets of the parts, repeated until about 2 KB. */
	while (b->len < 2048) {
		for (i = 0; i < n && b->len < 2048; i++)
			if (((variant >> (i % 4)) & 1) || i < 7 || i % 3 == variant % 3)
				buf_puts(b, parts[i]);
	}
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;
	struct statutes st;
	struct diag d;
	struct pool p;
	struct rubric *r;
	struct buf answers[16];
	struct score_result res;
	struct score_input in;
	struct score_options opt;
	struct rusage ru;
	char *spath, tmp[] = "/tmp/amicus-bench-XXXXXX";
	size_t i, total_bytes = 0, hits = 0;
	uint64_t start, elapsed, n = 0;
	FILE *fp;
	int fd;

	if (!srcdir)
		srcdir = ".";
	diag_init(&d);
	spath = xasprintf("%s/tests/data/statutes.yaml", srcdir);
	if (statutes_load(&st, spath, &d) < 0) {
		diag_print(&d, stderr);
		return 1;
	}
	fd = mkstemp(tmp);
	fp = fdopen(fd, "w");
	fputs(rubric_yaml, fp);
	fclose(fp);
	pool_init(&p, 0);
	r = rubric_load(&p, tmp, &d);
	unlink(tmp);
	if (!r || rubric_bind(r, &st, &d)) {
		diag_print(&d, stderr);
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(answers); i++) {
		build_answer(&answers[i], (unsigned)i);
		total_bytes += answers[i].len;
	}
	score_options_default(&opt);
	memset(&in, 0, sizeof in);
	in.reasoning_tokens = in.answer_tokens = -1;
	in.language = "zh";

	start = now_ns();
	do {
		for (i = 0; i < ARRAY_SIZE(answers); i++) {
			in.answer = answers[i].data;
			in.answer_len = answers[i].len;
			score_answer(r, &r->turns[0], NULL, &st, &in, &opt, &res);
			hits += res.passed;
			score_result_deinit(&res);
			n++;
		}
		elapsed = now_ns() - start;
	} while (elapsed < (uint64_t)(seconds * 1e9));
	getrusage(RUSAGE_SELF, &ru);

	printf("bench/score: %zu-item rubric, answers of %zu bytes on average, one thread\n",
	       r->turns[0].nkeypoints + r->turns[0].nforbidden, total_bytes / ARRAY_SIZE(answers));
	printf("  answers scored   %llu in %.2f s (%zu passed)\n", (unsigned long long)n,
	       (double)elapsed / 1e9, hits);
	printf("  answers/s        %.0f\n", (double)n / ((double)elapsed / 1e9));
	printf("  time per answer  %.1f us\n", (double)elapsed / 1e3 / (double)n);
	printf("  peak RSS         %ld KiB\n", ru.ru_maxrss);
	for (i = 0; i < ARRAY_SIZE(answers); i++)
		buf_deinit(&answers[i]);
	pool_deinit(&p);
	statutes_deinit(&st);
	diag_deinit(&d);
	free(spath);
	return 0;
}
