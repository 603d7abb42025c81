// Ligand-receptor axes: molecules that bind each other, the complex they form, and the evidence.
MATCH (l:Entity)-[r:BINDS]->(rec:Entity)
WHERE NOT l.kind IN ['therapy', 'therapy_class']
OPTIONAL MATCH (l)-[:PART_OF]->(c:Complex)<-[:PART_OF]-(rec)
RETURN l.id AS ligand, rec.id AS receptor, c.id AS complex, r.level AS level, r.refs AS refs
ORDER BY ligand, receptor
