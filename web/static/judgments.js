// Relevance judgments for the workbench, read like the relevance CLI reads them
// (relevance/judgments.py), and nDCG@k computed like its eval (relevance/metrics.py):
//
// - TREC qrels: `qid 0 docid gain` per line (`#` comments and blank lines skipped).
// - JSON Lines: {"qid", "query"?, "judgments"?: {docid: gain}, "answers"?: [docid]} where each
//   answer has gain 2 (ANSWER_GAIN, as data/README.md grades them).
// - nDCG@k: trec_eval's ndcg_cut with linear gains: DCG = sum over the top k of gain / log2(rank + 1);
//   the ideal DCG takes all judged documents of the query, best gains first; unjudged documents
//   and negative gains count 0; a query without a positive judgment scores 0.

export const ANSWER_GAIN = 2;
const JSONL_SUFFIX = /\.(jsonl|json|ndjson)$/i;

export class JudgmentError extends Error {}

function gainOf(value, where) {
  const number = typeof value === "number" ? value : Number(String(value).trim());
  if (typeof value === "boolean" || !Number.isFinite(number)) throw new JudgmentError(`${where}: non-numeric grade ${JSON.stringify(value)}`);
  if (!Number.isInteger(number)) throw new JudgmentError(`${where}: grade ${value} is not a whole number`);
  return number;
}

function idOf(value, what, where) {
  const text = typeof value === "number" ? String(value) : value;
  if (typeof text !== "string" || !text.trim()) throw new JudgmentError(`${where}: missing or empty ${what}`);
  if (/\s/.test(text)) throw new JudgmentError(`${where}: ${what} ${JSON.stringify(text)} contains whitespace`);
  return text;
}

function add(result, qid, docid, gain, where) {
  if (!result.qrels.has(qid)) result.qrels.set(qid, new Map());
  const docs = result.qrels.get(qid);
  if (docs.has(docid)) throw new JudgmentError(`${where}: duplicate judgment for query ${qid}, document ${docid}`);
  docs.set(docid, gain);
  if (!result.queries.has(qid)) result.queries.set(qid, null);
}

function parseTrec(lines, name, result) {
  lines.forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    if (!line.trim() || line.trimStart().startsWith("#")) return;
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 4) throw new JudgmentError(`${where}: expected 'qid 0 docid gain' (4 fields), got ${fields.length}`);
    add(result, fields[0], fields[2], gainOf(fields[3], where), where);
  });
}

function parseJsonl(lines, name, result) {
  lines.forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    if (!line.trim()) return;
    let record;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new JudgmentError(`${where}: invalid JSON: ${error.message}`);
    }
    if (!record || typeof record !== "object" || Array.isArray(record)) throw new JudgmentError(`${where}: expected a JSON object`);
    const qid = idOf(record.qid, "qid", where);
    if (typeof record.query === "string" && record.query.trim()) result.queries.set(qid, record.query.trim());
    else if (!result.queries.has(qid)) result.queries.set(qid, null);
    const answers = record.answers ?? [];
    const judged = record.judgments ?? {};
    if (!Array.isArray(answers)) throw new JudgmentError(`${where}: 'answers' must be a list of document ids`);
    if (typeof judged !== "object" || Array.isArray(judged)) throw new JudgmentError(`${where}: 'judgments' must be an object docid -> gain`);
    for (const docid of answers) add(result, qid, idOf(docid, "answer id", where), ANSWER_GAIN, where);
    for (const [docid, gain] of Object.entries(judged)) add(result, qid, idOf(docid, "document id", where), gainOf(gain, where), where);
  });
}

/** {format, queries: Map qid -> text|null (file order), qrels: Map qid -> Map docid -> gain} */
export function parseJudgments(text, name = "judgments") {
  if (/\.csv$/i.test(name)) throw new JudgmentError(`${name}: Quepid CSV needs a query set; load TREC qrels or JSON Lines here`);
  const lines = String(text).split(/\r?\n/);
  const first = lines.find((line) => line.trim() && !line.trimStart().startsWith("#")) ?? "";
  const format = JSONL_SUFFIX.test(name) || first.trimStart().startsWith("{") ? "jsonl" : "trec";
  const result = { format, queries: new Map(), qrels: new Map() };
  if (format === "jsonl") parseJsonl(lines, name, result);
  else parseTrec(lines, name, result);
  if (!result.qrels.size) throw new JudgmentError(`${name}: no judgments in the file`);
  return result;
}

function dcg(gains) {
  return gains.reduce((sum, gain, i) => sum + Math.max(gain, 0) / Math.log2(i + 2), 0);
}

/** nDCG@k of `rankedIds` (best first) against `judged` (Map or object docid -> gain). */
export function ndcgAt(rankedIds, judged, k = 10) {
  const gains = judged instanceof Map ? judged : new Map(Object.entries(judged ?? {}));
  const seen = new Set();
  const ranked = rankedIds.filter((id) => !seen.has(id) && seen.add(id)).slice(0, k);
  const ideal = dcg([...gains.values()].map((g) => Math.max(g, 0)).sort((a, b) => b - a).slice(0, k));
  if (ideal <= 0) return 0;
  return dcg(ranked.map((id) => gains.get(id) ?? 0)) / ideal;
}

/** The qid whose query text equals `text` (case and spacing ignored), or null. */
export function qidForText(queries, text) {
  const wanted = String(text ?? "").replace(/\s+/g, " ").trim().toLowerCase();
  for (const [qid, query] of queries) {
    if (query && query.replace(/\s+/g, " ").trim().toLowerCase() === wanted) return qid;
  }
  return null;
}
