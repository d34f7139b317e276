WITH matched AS MATERIALIZED (
  SELECT * FROM recall_name_matches(to_tsquery('simple', $1), to_tsquery('simple', $2), 1001))
SELECT c.id, c.recall_id, c.recall_date, c.search_name, c.search_text, (SELECT count(*) FROM matched) AS matched
FROM (SELECT 1) AS one
LEFT JOIN LATERAL (
  SELECT w.recall_pk, w.name_length, w.recall_date, w.as_typed
  FROM matched w
  JOIN recalls r ON r.id = w.recall_pk
  WHERE (SELECT count(*) FROM matched) <= 1000
    AND r.agency_code = ANY($3)
    AND (r.country = $4 OR jsonb_exists(r.affected_countries, $5))
    AND w.recall_date >= $6
    AND w.recall_date <= $7
  ORDER BY as_typed DESC, w.name_length, w.recall_date DESC, w.recall_pk
  LIMIT 200) m ON true
LEFT JOIN recalls c ON c.id = m.recall_pk
ORDER BY m.as_typed DESC, m.name_length, m.recall_date DESC, m.recall_pk;

-- $1 = "(graco | (gracocar | gracocars | gracocares)) & (seat | seats | ((child | childs | childes) & (restraint | restraints | restraintes)) | ((child | childs | childes) & (car | cars | cares) & (seat | seats | seates)) | ((baby | babys | babyes) & (seat | seats | seates)) | ((siege | sieges | siegees) &... (1183 characters)
-- $2 = "graco & (car | cars) & (seat | seats)"
-- $3 = ["CPSC","HC"]
-- $4 = "CA"
-- $5 = "CA"
-- $6 = "2015-01-01"
-- $7 = "2020-12-31"
