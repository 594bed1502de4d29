/*
 * i18n.js — every string the dashboard shows, in English and Chinese, and
 * the formatting of numbers and dates in the chosen language.
 *
 * The choice is remembered in localStorage; the first visit follows
 * navigator.language (Chinese for zh-*, else English). t(key, params)
 * replaces {name} placeholders; a key missing from the table shows itself,
 * which the table check catches. Listeners registered with onLangChange
 * re-render the page when the language is switched, without a reload.
 *
 * Percentages: no decimals, except one below 10%. Dates: Intl.DateTimeFormat
 * in the chosen language.
 */
const LANG_KEY = 'amicus.lang';

/* key: [English, 中文] */
const S = {
  'app.subtitle': ['legal answers, checked', '法律问答评测'],
  'nav.label': ['Main', '主导航'],
  'skip.main': ['Skip to content', '跳到正文'],
  'nav.overview': ['Overview', '总览'],
  'nav.runs': ['Runs', '评测批次'],
  'nav.compare': ['Compare', '对比'],
  'nav.answers': ['Answers', '回答'],
  'nav.report': ['Report', '报告'],
  'lang.switch': ['中文', 'English'],
  'lang.switch_label': ['切换到中文', 'Switch to English'],
  'lang.name.zh': ['Chinese', '中文'],
  'lang.name.en': ['English', '英文'],
  'notfound.title': ['Page not found', '页面不存在'],

  'common.loading': ['Loading…', '正在加载…'],
  'common.ok': ['OK', '确定'],
  'common.cancel': ['Cancel', '取消'],
  'common.yes': ['yes', '是'],
  'common.no': ['no', '否'],
  'common.ci95': ['95% interval {range}', '95% 置信区间 {range}'],
  'common.list_sep': ['; ', '；'],
  'common.period': ['.', '。'],

  'err.network': ['The server could not be reached. Is amicus serve running?', '无法连接服务器，请确认 amicus serve 正在运行。'],
  'err.endpoint_missing': ['This server does not offer {path} yet; this part cannot be shown.', '此服务器尚未提供 {path}，这部分暂时无法显示。'],
  'err.unauthorized': ['The server needs an access token, and none (or a wrong one) was given. Use the “Token” button at the top.', '服务器需要访问令牌，但未提供或令牌错误。请点击页面顶部的“令牌”按钮输入。'],
  'err.forbidden': ['The server refused this change (403).', '服务器拒绝了此项修改（403）。'],
  'err.server': ['The server answered {status}: {msg}', '服务器返回 {status}：{msg}'],
  'err.unexpected': ['Something went wrong in the page: {msg}', '页面出错：{msg}'],

  'token.button': ['Token', '令牌'],
  'token.set': ['Token ✓', '令牌 ✓'],
  'token.title': ['Access token', '访问令牌'],
  'token.explain': ['This server needs an access token. Ask its operator for it; it is kept in this tab only.', '此服务器需要访问令牌，请向管理员索取。令牌只保存在当前标签页中。'],
  'token.explain_manual': ['Enter the access token for this server. It is kept in this tab only.', '请输入此服务器的访问令牌，令牌只保存在当前标签页中。'],
  'token.label': ['Token', '令牌'],
  'token.clear': ['Forget token', '清除令牌'],

  'verdict.suitable': ['Suitable', '适用'],
  'verdict.review': ['Use with review', '需人工复核'],
  'verdict.not_suitable': ['Not suitable', '不适用'],
  'verdict.too_few': ['Too few questions', '题目太少'],
  'verdict_short.suitable': ['suitable', '适用'],
  'verdict_short.review': ['review', '需复核'],
  'verdict_short.not_suitable': ['not suitable', '不适用'],
  'verdict_short.too_few': ['too few', '题目太少'],

  'sim.tag': ['simulated', '模拟'],
  'sim.statement': ['Simulated models come from the built-in demo backend: their answers are made up from the question bank with deliberate faults. Their figures are not measurements of any real model.', '模拟模型来自内置演示后端：其回答由题库生成并故意掺入错误。这些数据不是对任何真实模型的测量结果。'],
  'models.changed': ['changed', '已变更'],
  'models.changed_title': ['The model’s digest changed: {prev} → {cur}', '模型摘要已变更：{prev} → {cur}'],

  'status.running': ['running', '进行中'],
  'status.done': ['done', '已完成'],
  'status.failed': ['failed', '失败'],
  'status.cancelled': ['cancelled', '已取消'],
  'status.interrupted': ['interrupted', '已中断'],
  'status.pending': ['pending', '等待中'],

  'metric.pass_rate': ['Pass rate', '通过率'],
  'metric.hallucination_rate': ['Hallucination rate', '幻觉率'],
  'metric.mean_score': ['Mean score', '平均得分'],
  'rate.with_ci': ['{what} {value}, 95% interval {range}', '{what} {value}，95% 置信区间 {range}'],
  'thresholds.mark': ['threshold {v}', '阈值 {v}'],
  'chart.no_data': ['No finished runs to show yet.', '尚无已完成的评测可显示。'],
  'unit.pp': ['pts', '个百分点'],
  'unit.ms': ['{v} ms', '{v} 毫秒'],
  'unit.s': ['{v} s', '{v} 秒'],
  'unit.min': ['{v} min', '{v} 分钟'],

  'area.*': ['All areas', '全部领域'],
  'area.copyright': ['Copyright (CN)', '著作权'],
  'area.us-copyright': ['Copyright (US)', '美国版权'],
  'area.civil-procedure': ['Civil procedure', '民事诉讼'],
  'area.company': ['Company law', '公司法'],
  'area.contract': ['Contract law', '合同'],
  'area.criminal': ['Criminal law', '刑法'],
  'area.family': ['Family law', '婚姻家庭'],
  'area.labour': ['Labour law', '劳动法'],
  'area.patent': ['Patent law', '专利'],
  'area.trademark': ['Trademark law', '商标'],
  'area.probe': ['Behaviour probes', '行为测试'],

  'col.model': ['Model', '模型'],
  'col.verdict': ['Verdict', '结论'],
  'col.mean_score': ['Mean score', '平均得分'],
  'col.mean_score_ci': ['Mean score (95% interval)', '平均得分（95% 置信区间）'],
  'col.pass_ci': ['Pass rate (95% interval)', '通过率（95% 置信区间）'],
  'col.hallucination_ci': ['Hallucination rate (95% interval)', '幻觉率（95% 置信区间）'],
  'col.questions': ['Questions', '题目数'],
  'col.errors': ['Errors', '错误'],
  'col.evidence': ['Evidence', '证据'],
  'col.area': ['Area', '法律领域'],
  'col.question': ['Question', '题目'],
  'col.samples': ['Samples', '采样次数'],
  'col.passed_n': ['Passed', '通过次数'],
  'col.sd': ['Std. dev.', '标准差'],
  'col.item': ['Item', '条目'],
  'col.points': ['Points', '分值'],
  'col.criterion': ['What the answer must say', '评分标准'],
  'col.claim': ['False claim', '错误陈述'],
  'col.source': ['Source', '法律依据'],
  'col.run': ['Run', '批次'],
  'col.status': ['Status', '状态'],
  'col.started': ['Started', '开始时间'],
  'col.finished': ['Finished', '完成时间'],
  'col.trigger': ['Started by', '触发方式'],
  'col.suite': ['Questions asked', '题目范围'],
  'col.jobs_done': ['Answered', '已完成'],
  'col.note': ['Note', '备注'],
  'col.actions': ['Actions', '操作'],
  'col.turn': ['Turn', '轮次'],
  'col.score': ['Score', '得分'],
  'col.flags': ['Behaviour', '行为问题'],
  'col.time': ['Time', '耗时'],
  'col.excerpt': ['Beginning of the answer', '回答开头'],

  'links.failed': ['failed', '未通过'],
  'links.hallucinated': ['false claims', '有幻觉'],
  'links.failed_answers': ['Answers that failed', '未通过的回答'],
  'links.hallucinated_answers': ['Answers with false claims', '含错误陈述的回答'],
  'links.all_answers': ['All answers', '全部回答'],
  'links.compare_with': ['Compare with {other}', '与 {other} 对比'],
  'links.trend': ['trend', '趋势'],

  'overview.title': ['Which model can the firm trust?', '哪个模型值得信赖？'],
  'overview.status': ['Runs', '评测状态'],
  'overview.last_run': ['Last run', '最近一次评测'],
  'overview.no_runs': ['none yet', '暂无'],
  'overview.next_run': ['Next scheduled run', '下次定时评测'],
  'overview.next_at': ['{name}, {at}', '{name}，{at}'],
  'overview.no_schedule': ['no schedule configured', '未配置定时评测'],
  'overview.running': ['Running now', '正在进行'],
  'overview.running_n': ['{n} run(s) — follow progress', '{n} 个批次——查看进度'],
  'overview.changed_title': ['Model changed.', '模型已变更。'],
  'overview.changed_text': ['These models answered from different weights than in their previous run (their digest changed), so earlier results may not apply:', '以下模型的摘要与上一次评测不同（权重已更换），以前的结果可能不再适用：'],
  'overview.empty_title': ['No evaluation has finished yet', '尚无已完成的评测'],
  'overview.empty_text': ['Start a run on the Runs page: pick the models and the questions, and the results appear here when it is finished.', '请在“评测批次”页面启动一次评测：选择模型和题目，完成后结果会显示在这里。'],
  'overview.empty_running': ['A run is in progress; its results appear here when it is finished.', '评测正在进行中，完成后结果会显示在这里。'],
  'overview.start_run': ['Start a run', '启动评测'],
  'overview.watch_run': ['Follow the run', '查看进度'],
  'overview.leaderboard': ['Models', '模型排行'],
  'overview.run_line': ['Run #{id}, finished {at}; questions: {suite}; each asked {samples} time(s).', '第 {id} 批次，完成于 {at}；题目范围：{suite}；每题提问 {samples} 次。'],
  'overview.grid': ['By area of law', '按法律领域'],
  'overview.grid_help': ['Each cell: the verdict for that model in that area and its pass rate. Open a cell to read the answers.', '每格显示该模型在该领域的结论和通过率。点击可查看具体回答。'],
  'grid.none': ['no questions in this area', '该领域没有题目'],
  'grid.title': ['{model} · {area}: {verdict}; pass rate {pass} (95% interval {range}), hallucination rate {hal}, {n} questions', '{model} · {area}：{verdict}；通过率 {pass}（95% 置信区间 {range}），幻觉率 {hal}，共 {n} 题'],

  'rules.title': ['How the verdicts are reached', '结论如何得出'],
  'rules.suitable': ['Suitable: the lower end of the pass rate’s 95% interval is at least {pass}, and the upper end of the hallucination rate’s interval at most {hal}.', '适用：通过率 95% 置信区间的下限不低于 {pass}，且幻觉率 95% 置信区间的上限不高于 {hal}。'],
  'rules.review': ['Use with review: the pass rate is at least {pass} and the hallucination rate at most {hal}.', '需人工复核：通过率不低于 {pass}，且幻觉率不高于 {hal}。'],
  'rules.else': ['Otherwise not suitable. With fewer than {n} questions (overall or in an area) there are too few questions for a verdict.', '否则为不适用。题目少于 {n} 道（总体或某一领域）时，题目太少，不下结论。'],
  'rules.intervals': ['An answer passes when its score reaches the rubric’s pass mark and it states nothing false (no forbidden claim, no nonexistent or misgrounded citation). Intervals are 95%: Wilson intervals for rates, a bootstrap over questions for scores. A question asked several times counts once.', '回答得分达到评分标准的及格线、且没有任何错误陈述（未触发禁止陈述，未引用不存在或不对应的法条）时才算通过。区间均为 95% 置信区间：比率用 Wilson 区间，得分用按题目的自助法（bootstrap）。同一题目多次提问只计一次。'],
  'rules.sizes': ['Sample sizes in run #{id} (questions: {suite}, {samples} sample(s) each):', '第 {id} 批次的样本量（题目范围：{suite}，每题 {samples} 次）：'],
  'rules.size': ['{model}: {q} questions, {a} answers', '{model}：{q} 道题，{a} 个回答'],
  'rulings.text': ['Lawyers have ruled on {n} verdicts of this question. Matching gave the lawyers’ verdict {match}; the judge model {judge}.', '律师已复核本题 {n} 项评分。规则匹配与律师一致：{match}；评审模型与律师一致：{judge}。'],
  'rulings.agree': ['{agree} of {n} times', '{n} 次中 {agree} 次'],
  'agreement.title': ['Judge and matching', '评审模型与规则匹配'],
  'agreement.text': ['On {n} rubric items both graded, the judge model agreed with matching {percent} of the time (Cohen’s κ = {kappa}).', '在 {n} 个双方都评判过的评分项上，评审模型与规则匹配的一致率为 {percent}（Cohen’s κ = {kappa}）。'],

  'model.digest': ['digest {d}', '摘要 {d}'],
  'model.backend': ['backend {b} ({k})', '后端 {b}（{k}）'],
  'model.last_run': ['last run #{id}, {at}', '最近评测 #{id}，{at}'],
  'model.links': ['Evidence', '证据'],
  'model.not_in_run': ['This model is not in the latest finished run.', '最近一次完成的评测中没有此模型。'],
  'model.answers_errors': ['{a} answers, {e} errors', '{a} 个回答，{e} 个错误'],
  'model.trends': ['Over time', '历次评测趋势'],
  'model.trend_area': ['Area', '法律领域'],
  'model.trend_help': ['One point per finished run; the shaded band is the 95% interval.', '每个点代表一次已完成的评测；阴影带为 95% 置信区间。'],
  'model.behaviour': ['How it answers', '回答行为'],
  'model.areas': ['By area of law', '按法律领域'],
  'model.unstable': ['Unstable questions', '结果不稳定的题目'],
  'model.unstable_help': ['Asked several times, the model passed some times and failed others.', '同一题目多次提问，时而通过、时而不通过。'],

  'beh.reasoning_share': ['Reasoning share', '推理占比'],
  'beh.reasoning_share_help': ['Share of output tokens spent reasoning before the answer.', '输出中用于推理过程（而非回答）的词元比例。'],
  'beh.reasoning_tokens': ['Reasoning tokens per answer', '每个回答的推理词元'],
  'beh.answer_tokens': ['Answer tokens per answer', '每个回答的回答词元'],
  'beh.tokens_help': ['Mean; from the backend, else estimated.', '平均值；取自后端统计，否则为估算。'],
  'beh.loop_rate': ['Loops', '循环重复'],
  'beh.loop_help': ['Answers whose reasoning or text repeats itself.', '推理或回答出现反复重复的比例。'],
  'beh.mix_rate': ['Language mix', '中英混杂'],
  'beh.mix_help': ['Chinese answers with English mixed in.', '中文回答中夹杂英文的比例。'],
  'beh.followup': ['Ignored follow-ups', '忽略追问'],
  'beh.followup_help': ['From turn 2 on: answered the previous question instead of the new one.', '从第二轮起：回答了上一问而没有回答新的追问。'],
  'beh.truncation': ['Cut off while reasoning', '推理中途被截断'],
  'beh.truncation_help': ['Ran out of tokens before giving an answer.', '在给出回答前词元预算已用尽。'],
  'beh.abstention': ['Declined to answer', '拒绝回答'],
  'beh.abstention_help': ['Counted apart from wrong answers.', '与错误回答分开统计。'],
  'beh.latency': ['Latency p50 / p95', '延迟 p50 / p95'],
  'beh.latency_help': ['Time to the complete answer.', '得到完整回答所用时间。'],
  'beh.ttft': ['Time to first token (p50)', '首个词元延迟（p50）'],
  'beh.tps': ['Tokens per second', '每秒词元数'],
  'beh.unstable': ['Unstable questions', '不稳定题目'],
  'beh.unstable_help': ['Samples of the same question disagree.', '同一题目的多次采样结果不一致。'],
  'beh.judged': ['Graded by the judge', '由评审模型评判'],
  'beh.judged_n': ['{n} items, {e} judge errors', '{n} 项，评审出错 {e} 次'],

  'question.language': ['Language', '语言'],
  'question.jurisdiction': ['Jurisdiction', '法域'],
  'question.version_of_law': ['Law as of', '适用法律版本'],
  'question.tags': ['Tags', '标签'],
  'question.run': ['Run', '批次'],
  'question.twin': ['Same question translated', '对应译题'],
  'question.run_pick': ['Answers from', '显示批次'],
  'question.pass_mark': ['Pass mark', '及格线'],
  'question.pass_mark_text': ['score ≥ {v} and nothing false', '得分 ≥ {v} 且无错误陈述'],
  'question.turn': ['Turn {n}', '第 {n} 轮'],
  'question.reference': ['Reference answer', '参考答案'],
  'question.rubric_summary': ['Rubric: {k} key points, {f} false claims to avoid', '评分标准：{k} 个要点，{f} 个错误陈述'],
  'question.source': ['source: {s}', '依据：{s}'],
  'question.keypoints': ['Key points (要点)', '要点'],
  'question.forbidden': ['False claims (错误陈述)', '错误陈述'],
  'question.answers': ['The models’ answers', '各模型的回答'],
  'question.no_answers': ['No model answered this question in run #{id}; choose another run above.', '第 {id} 批次中没有模型回答此题，请在上方选择其他批次。'],

  'legend.title': ['In the answers:', '回答中的标记：'],
  'legend.keypoint': ['key point found', '命中要点'],
  'legend.forbidden': ['false claim', '错误陈述'],
  'legend.cite_bad': ['wrong citation', '错误引用'],
  'legend.cite_ok': ['citation checked', '引用已核对'],
  'mark.keypoint': ['key point', '要点'],
  'mark.forbidden': ['false claim', '错误陈述'],
  'mark.citation': ['citation', '引用'],

  'answer.sample': ['sample {n}', '第 {n} 次采样'],
  'answer.text': ['Answer', '回答'],
  'answer.reasoning': ['Reasoning ({n} tokens)', '推理过程（{n} 个词元）'],
  'answer.score': ['Score', '得分'],
  'answer.coverage': ['Coverage', '要点覆盖'],
  'answer.result': ['Result', '结果'],
  'answer.passed': ['passed', '通过'],
  'answer.failed': ['failed', '未通过'],
  'answer.hallucinated': ['False claims', '幻觉'],
  'answer.time': ['Time', '耗时'],
  'answer.tokens': ['Answer tokens', '回答词元'],
  'answer.mix_ratio': ['English mixed in', '英文混杂'],
  'answer.finish': ['Stopped because', '结束原因'],
  'answer.abstained': ['declined to answer', '拒绝回答'],
  'answer.truncated': ['cut off while reasoning', '推理中途被截断'],
  'answer.loop': ['repeats itself', '内容循环重复'],
  'answer.mix': ['mixes languages', '中英混杂'],
  'answer.followup_ignored': ['ignored the follow-up', '忽略了追问'],
  'answer.citations': ['Citations ({n})', '引用（{n}）'],
  'answer.claims_made': ['False claims made ({n})', '出现的错误陈述（{n}）'],
  'answer.ruled': ['Ruled on by a lawyer ({n})', '律师已复核（{n}）'],
  'answer.missed': ['Key points missed ({n})', '遗漏的要点（{n}）'],
  'answer.none_missed': ['No key point missed.', '没有遗漏要点。'],
  'answer.rest': ['Key points met and claims avoided ({n})', '已命中的要点与未出现的错误陈述（{n}）'],

  'cite.valid': ['valid', '有效'],
  'cite.nonexistent': ['no such article', '法条不存在'],
  'cite.misgrounded': ['wrong article', '法条不对应'],
  'cite.unknown_law': ['law not in the registry', '未收录的法律'],
  'cite.article': ['art. {n}', '第 {n} 条'],
  'cite.sub': ['para. {n}', '第 {n} 款'],
  'cite.denied': ['mentioned as not applying', '作为不适用提及'],

  'verdict.met': ['met', '已命中'],
  'verdict.missed': ['missed', '未命中'],
  'verdict.made': ['stated', '已出现'],
  'verdict.not_made': ['not stated', '未出现'],
  'verdict.points': ['{p} pts', '{p} 分'],
  'verdict.found': ['Found at:', '出现位置：'],
  'verdict.judge_said': ['Judge:', '评审模型：'],
  'verdict.disagree': ['Matching said “{match}”, the judge “{judge}”.', '规则匹配判为“{match}”，评审模型判为“{judge}”。'],
  'method.match': ['matching', '规则匹配'],
  'method.judge': ['judge', '评审模型'],
  'method.judge_error': ['judge failed', '评审出错'],
  'method.review': ['lawyer’s ruling', '律师复核'],
  'method.title': ['How this verdict was reached', '该判定的来源'],

  'review.overrule': ['Overrule', '复核改判'],
  'review.ruling': ['Your ruling', '您的判定'],
  'review.reason_label': ['Reason (required, up to 1000 characters)', '理由（必填，最多 1000 字）'],
  'review.reviewer_label': ['Your name', '复核人'],
  'review.submit': ['Save ruling', '保存复核结果'],
  'review.saving': ['Saving…', '正在保存…'],
  'review.saved': ['Ruling saved; the answer’s score was recomputed.', '复核结果已保存，已重新计算该回答的得分。'],
  'review.need_reason': ['Please give a reason (up to 1000 characters).', '请填写理由（最多 1000 字）。'],
  'review.need_reviewer': ['Please give your name (up to 100 characters).', '请填写复核人姓名（最多 100 字）。'],
  'review.forbidden': ['Reviews are disabled on this server: it listens on a non-loopback address and has no access token set, so it accepts no changes. Ask the operator to set a token (AMICUS_TOKEN) or to listen on 127.0.0.1 only.', '此服务器已禁用复核：它监听在非本机地址上且未设置访问令牌，因此不接受任何修改。请联系管理员设置令牌（AMICUS_TOKEN），或只监听 127.0.0.1。'],
  'review.ruled': ['Ruling by {who}, {when}:', '{who} 于 {when} 复核：'],
  'review.confirmed': ['confirmed “{v}”', '维持“{v}”'],
  'review.original': ['original verdict:', '原判定：'],
  'review.reason': ['Reason:', '理由：'],

  'compare.title': ['Compare two models', '两个模型对比'],
  'compare.model_a': ['Model A', '模型 A'],
  'compare.model_b': ['Model B', '模型 B'],
  'compare.choose': ['— choose —', '— 请选择 —'],
  'compare.go': ['Compare', '对比'],
  'compare.swap': ['Swap', '交换'],
  'compare.pick': ['Choose two models to compare them on the questions both answered.', '请选择两个模型，在双方都回答过的题目上进行对比。'],
  'compare.same': ['Choose two different models.', '请选择两个不同的模型。'],
  'compare.no_pairs': ['The two models answered no common question in run #{id}.', '第 {id} 批次中两个模型没有共同回答过的题目。'],
  'compare.summary': ['In short', '结论摘要'],
  'compare.run': ['Run #{id}; each question counts once, paired between the two models.', '第 {id} 批次；每道题只计一次，两个模型逐题配对比较。'],
  'compare.sentence': ['On {n} questions both answered, {a} passed {pa} and {b} passed {pb}; only {a} passed {oa}, only {b} passed {ob}.', '在双方都回答过的 {n} 道题上，{a} 通过率 {pa}，{b} 通过率 {pb}；仅 {a} 通过的有 {oa} 道，仅 {b} 通过的有 {ob} 道。'],
  'compare.significant': ['The difference is unlikely to be chance (McNemar p = {p}).', '差异不太可能是偶然造成的（McNemar p = {p}）。'],
  'compare.not_significant': ['The difference could be chance (McNemar p = {p}).', '差异可能只是偶然（McNemar p = {p}）。'],
  'compare.score_sentence': ['Mean score difference (A − B): {d}, 95% interval {lo} to {hi}.', '平均得分之差（A − B）：{d}，95% 置信区间 {lo} 至 {hi}。'],
  'compare.by_area': ['Overall and by area', '总体及分领域'],
  'compare.pass_of': ['Pass rate {m}', '{m} 通过率'],
  'compare.difference': ['Difference', '差值'],
  'compare.only_passed': ['Only {m} passed', '仅 {m} 通过'],
  'compare.mcnemar': ['McNemar p', 'McNemar p 值'],
  'compare.score_diff': ['Score difference (95% interval)', '得分差（95% 置信区间）'],
  'compare.disagreements': ['Questions where they disagree', '结论不一致的题目'],
  'compare.disagreements_help': ['{n} questions: one model passed, the other did not. Open one to read both answers side by side.', '共 {n} 道题：一个模型通过、另一个未通过。点击题目可并排阅读两者的回答。'],
  'compare.no_disagreements': ['They passed and failed the same questions.', '两个模型在相同的题目上通过或未通过。'],

  'runs.title': ['Runs', '评测批次'],
  'runs.start': ['Start a run', '启动评测'],
  'runs.no_backends': ['No backend is configured.', '未配置任何后端。'],
  'runs.suite': ['Questions', '题目范围'],
  'runs.suite_all': ['All questions', '全部题目'],
  'runs.suite_zh': ['Chinese questions', '中文题目'],
  'runs.suite_en': ['English questions', '英文题目'],
  'runs.suite_area': ['Area: {area}', '领域：{area}'],
  'runs.samples': ['Times each question is asked', '每题提问次数'],
  'runs.samples_help': ['1–100; more samples show how stable the answers are.', '1–100；多次提问可看出回答是否稳定。'],
  'runs.submit': ['Start run', '开始评测'],
  'runs.starting': ['Starting…', '正在启动…'],
  'runs.started': ['Run #{id} started.', '第 {id} 批次已启动。'],
  'runs.need_model': ['Choose at least one model.', '请至少选择一个模型。'],
  'runs.bad_samples': ['Samples must be a whole number from 1 to 100.', '提问次数须为 1 到 100 之间的整数。'],
  'runs.writes_disabled': ['Starting runs is disabled: this server listens on a non-loopback address without an access token.', '已禁用启动评测：此服务器监听在非本机地址上且未设置访问令牌。'],
  'runs.token_needed': ['This server needs an access token; you will be asked for it.', '此服务器需要访问令牌，提交时会提示您输入。'],
  'runs.progress_title': ['Run #{id}', '第 {id} 批次'],
  'runs.progress_label': ['Progress of run #{id}', '第 {id} 批次的进度'],
  'runs.connecting': ['Connecting…', '正在连接…'],
  'runs.polling': ['Live updates unavailable; checking every second.', '无法实时推送，改为每秒查询一次。'],
  'runs.progress': ['{done} of {total} answers ({pct}); {inflight} in progress, {err} errors.', '已完成 {done} / {total} 个回答（{pct}）；{inflight} 个进行中，{err} 个出错。'],
  'runs.ended': ['The run is {status}.', '本批次{status}。'],
  'runs.see_results': ['See the results', '查看结果'],
  'runs.list': ['All runs', '全部批次'],
  'runs.none': ['No runs yet.', '暂无评测批次。'],
  'runs.follow': ['Follow', '查看进度'],
  'runs.answers': ['Answers', '回答'],

  'answers.title': ['Answers', '回答列表'],
  'answers.any': ['any', '不限'],
  'answers.any_model': ['all models', '全部模型'],
  'answers.result': ['Result', '结果'],
  'answers.question_hint': ['question id', '题目编号'],
  'answers.apply': ['Show', '筛选'],
  'answers.reset': ['Clear filters', '清除筛选'],
  'answers.of_model': ['Answers of {m}', '{m} 的回答'],
  'answers.of_all': ['Answers of all models', '所有模型的回答'],
  'answers.that_failed': ['that failed', '未通过'],
  'answers.that_passed': ['that passed', '已通过'],
  'answers.that_hallucinated': ['with false claims', '含错误陈述'],
  'answers.without_hallucination': ['without false claims', '不含错误陈述'],
  'answers.in_area': ['in {a}', '领域：{a}'],
  'answers.on_question': ['on question {q}', '题目：{q}'],
  'answers.in_run': ['in run #{id}', '第 {id} 批次'],
  'answers.latest_run': ['in the latest run', '最近一次评测'],
  'answers.joiner': [' ', '，'],
  'answers.count': ['{n} answers in run #{id} — page {page} of {pages}', '第 {id} 批次共 {n} 个回答——第 {page} / {pages} 页'],
  'answers.none': ['No answer matches these filters.', '没有符合条件的回答。'],
  'answers.pages': ['Pages', '分页'],
  'answers.prev': ['← Previous', '← 上一页'],
  'answers.next': ['Next →', '下一页 →'],
  'answers.page_of': ['page {page} of {pages}', '第 {page} / {pages} 页'],

  'report.title': ['Report', '导出报告'],
  'report.intro': ['The model-suitability report: the verdicts per model and area with the thresholds and sample sizes behind them, for people who will not open this dashboard.', '模型适用性报告：列出各模型在各法律领域的结论及其所依据的阈值与样本量，供不使用本看板的人阅读。'],
  'report.run': ['Run', '评测批次'],
  'report.latest': ['Latest finished run', '最近完成的批次'],
  'report.run_option': ['#{id} — {at} — {suite}', '#{id} — {at} — {suite}'],
  'report.lang_note': ['The report is written in {lang}, the language of this page.', '报告语言为{lang}，与本页面语言一致。'],
  'report.formats': ['Download', '下载'],
  'report.preparing': ['Preparing the report…', '正在生成报告…'],
  'report.done': ['Downloaded {name}.', '已下载 {name}。'],
  'report.pdf': ['PDF', 'PDF'],
  'report.pdf_help': ['To print or attach to a memo; fixed layout.', '适合打印或附在备忘录中，版式固定。'],
  'report.html': ['HTML', 'HTML'],
  'report.html_help': ['One self-contained web page; opens in any browser.', '单个独立网页文件，任何浏览器均可打开。'],
  'report.md': ['Markdown', 'Markdown'],
  'report.md_help': ['Plain text with tables, for a wiki or a pull request.', '带表格的纯文本，适合放入知识库或代码评审。'],
  'report.csv': ['CSV', 'CSV'],
  'report.csv_help': ['The figures per model and area, for a spreadsheet.', '各模型、各领域的数据，可用电子表格打开。'],
  'report.json': ['JSON', 'JSON'],
  'report.json_help': ['Everything in machine-readable form, for other tools.', '全部数据的机器可读格式，供其他工具使用。'],
};

const listeners = new Set();
let lang = initialLang();

function initialLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'zh' || saved === 'en') return saved;
  return /^zh\b/i.test(navigator.language || '') ? 'zh' : 'en';
}

/** The current language: 'zh' or 'en'. */
export function getLang() {
  return lang;
}

/** The BCP 47 locale for Intl. */
export function locale() {
  return lang === 'zh' ? 'zh-CN' : 'en';
}

/** Switch language, remember it, and tell the listeners. */
export function setLang(next) {
  if (next !== 'zh' && next !== 'en') return;
  lang = next;
  localStorage.setItem(LANG_KEY, next);
  for (const fn of listeners) fn(next);
}

export function toggleLang() {
  setLang(lang === 'zh' ? 'en' : 'zh');
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** The string for key in the current language, with {name} replaced from params. */
export function t(key, params) {
  const entry = S[key];
  let s = entry ? entry[lang === 'zh' ? 1 : 0] : key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

/** Every key, for the table check. */
export const KEYS = Object.keys(S);

/** The area's name in this language; areas not in the table as they are. */
export function areaName(area) {
  const key = `area.${area}`;
  return key in S ? t(key) : String(area ?? '—');
}

const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
const nf = (opts) => new Intl.NumberFormat(locale(), opts);

/** 0.873 -> "87%"; 0.052 -> "5.2%"; null -> "—". */
export function pct(x) {
  if (!isNum(x)) return '—';
  const v = Math.abs(x * 100);
  const digits = v > 0 && v < 9.95 ? 1 : 0;
  return nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
}

/** [0.78, 0.93] -> "78–93%". */
export function pctRange(ci) {
  if (!Array.isArray(ci) || !isNum(ci[0]) || !isNum(ci[1])) return '—';
  return `${pct(ci[0])}–${pct(ci[1])}`;
}

/** A difference of rates in percentage points: "+12 pts". */
export function signedPct(x) {
  if (!isNum(x)) return '—';
  const v = x * 100;
  const digits = Math.abs(v) > 0 && Math.abs(v) < 9.95 ? 1 : 0;
  const s = nf({ minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(v);
  return `${s.replace('-', '−')} ${t('unit.pp')}`;
}

/** A score in [0, 1] with two decimals. */
export function score(x) {
  if (!isNum(x)) return '—';
  return nf({ minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
}

/** A score difference with its sign. */
export function signedScore(x) {
  if (!isNum(x)) return '—';
  return nf({ minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(x).replace('-', '−');
}

/** A count or measure. */
export function num(x, digits = 0) {
  if (!isNum(x)) return '—';
  return nf({ maximumFractionDigits: digits }).format(x);
}

/** Milliseconds as "62 ms", "1.2 s" or "2.5 min". */
export function ms(x) {
  if (!isNum(x)) return '—';
  if (x < 1000) return t('unit.ms', { v: num(x, 0) });
  if (x < 60000) return t('unit.s', { v: num(x / 1000, 1) });
  return t('unit.min', { v: num(x / 60000, 1) });
}

/** A McNemar p-value. */
export function pval(p) {
  if (!isNum(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return nf({ maximumFractionDigits: p < 0.01 ? 3 : 2, minimumFractionDigits: p < 0.01 ? 3 : 2 }).format(p);
}

/** Unix seconds (or an ISO string) as a local date and time. */
export function date(v) {
  if (v === null || v === undefined || v === '') return '—';
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
