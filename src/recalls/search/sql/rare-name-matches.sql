SELECT c.id, c.recall_id, c.recall_date, c.search_name, c.search_text
FROM recall_words w
JOIN recalls c ON c.id = w.recall_pk
WHERE w.recall_pk IN (
  SELECT recall_pk FROM (
    SELECT recall_pk, count(*) OVER () AS matched
    FROM recall_words_matching('name_words', to_tsquery('simple', $1), 301)) counted
  WHERE matched <= 300
  UNION
  SELECT recall_pk FROM (
    SELECT recall_pk, count(*) OVER () AS matched
    FROM recall_words_matching('name_words', to_tsquery('simple', $2), 301)) counted
  WHERE matched <= 300)
ORDER BY w.name_length, w.recall_date DESC, w.recall_pk
LIMIT 200;

-- $1 = "graco & (seat | seats)"
-- $2 = "graco & (car | cars)"
