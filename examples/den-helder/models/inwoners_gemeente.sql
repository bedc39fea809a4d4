-- The municipality's total, next to the CBS 2024 figure (Bron: CBS).
select
  g.code as gemeentecode,
  g.naam as gemeentenaam,
  (select sum(inwoners) from ref('inwoners_per_wijk')) as inwoners,
  (select sum(huishoudens) from ref('inwoners_per_wijk')) as huishoudens,
  g.aantal_inwoners as inwoners_cbs_2024
from ref('cbs_kerncijfers_wijken') g
where g.soort_regio = 'Gemeente'
