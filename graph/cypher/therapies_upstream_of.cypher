// Therapies upstream of a driver: therapies that target, inhibit or activate an entity from
// which one to three signed steps lead to the driver, with the path and its sign (the effect of
// the targeted entity on the driver: + raises it, - lowers it; SUBTYPE_OF, PART_OF and FORM_OF pass the
// sign through; as in `mechgraph path`, EXPRESSES is not a step, no path passes a therapy and no
// step rests on hypotheses alone). Therapies acting on the driver itself: see therapies_for_target.
// @param driver entity  (id, name or synonym, e.g. "SPP1+ TAM" or AXL)
MATCH (t:Entity)-[a:TARGETS|INHIBITS|ACTIVATES]->(x:Entity)
WHERE t.kind IN ['therapy', 'therapy_class']
MATCH p = (x)-[:PROMOTES|INHIBITS|ACTIVATES|RECRUITS|SECRETES|POLARIZES|KILLS|CHARACTERIZED_BY|SUBTYPE_OF|PART_OF|FORM_OF*1..3]->(d:Entity {id: $driver})
WHERE any(r IN relationships(p) WHERE r.sign <> '=')
  AND none(n IN nodes(p) WHERE n.kind IN ['therapy', 'therapy_class'])
  AND all(r IN relationships(p) WHERE r.supports IS NULL OR any(s IN r.supports WHERE s <> 'hypothesis'))
WITH t, a, x, p, reduce(s = 1, r IN relationships(p) | s * CASE r.sign WHEN '-' THEN -1 ELSE 1 END) AS sign
RETURN t.id AS therapy, t.name AS name, type(a) AS acts_by, x.id AS target,
       reduce(s = x.id, i IN range(0, length(p) - 1) |
         s + ' -' + type(relationships(p)[i]) + '-> ' + nodes(p)[i + 1].id) AS path,
       CASE sign WHEN 1 THEN '+' ELSE '-' END AS sign, length(p) AS hops
ORDER BY hops, therapy, acts_by, target, path
