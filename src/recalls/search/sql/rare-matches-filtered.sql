SELECT c.id, c.recall_id, c.recall_date, c.search_name, c.search_text
FROM recall_words w
JOIN recalls c ON c.id = w.recall_pk
JOIN recalls r ON r.id = w.recall_pk
WHERE w.recall_pk IN (
  SELECT recall_pk FROM (
    SELECT recall_pk, count(*) OVER () AS matched
    FROM recall_words_matching('words', to_tsquery('simple', $1), 301)) counted
  WHERE matched <= 300
  UNION
  SELECT recall_pk FROM (
    SELECT recall_pk, count(*) OVER () AS matched
    FROM recall_words_matching('words', to_tsquery('simple', $2), 301)) counted
  WHERE matched <= 300)
  AND r.agency_code = ANY($3)
  AND (r.country = $4 OR jsonb_exists(r.affected_countries, $5))
ORDER BY w.name_length, w.recall_date DESC, w.recall_pk
LIMIT 200;

-- $1 = "graco & (seat | seats)"
-- $2 = "graco & (car | cars)"
-- $3 = ["CPSC","HC"]
-- $4 = "CA"
-- $5 = "CA"
