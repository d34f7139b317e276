SELECT q.position, s.word
FROM unnest($1::text[]) WITH ORDINALITY AS q(word, position)
CROSS JOIN LATERAL (
  (SELECT v.word FROM search_vocabulary v
   WHERE v.word % q.word
   ORDER BY v.word <-> q.word, v.word
   LIMIT 6)
  UNION
  (SELECT v.word FROM search_vocabulary v
   WHERE length(q.word) >= 3 AND v.word LIKE q.word || '%'
   ORDER BY length(v.word), v.word
   LIMIT 6)
) s
UNION
SELECT e.position, v.word
FROM unnest($2::text[], $3::int[]) AS e(word, position)
JOIN search_vocabulary v ON v.word = e.word;

-- $1 = ["stroller","graco"]
-- $2 = ["troller","tsroller","atroller","astroller","btroller","bstroller","ctroller","cstroller","dtroller","dstroller","etroller","estroller","ftroller","fstroller","gtroller","gstroller","htroller","hstroller","itroller","istroller","jtroller","jstroller","ktroller","kstroller","ltroller","lstroller","m... (798 values)
-- $3 = [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1... (798 values)
