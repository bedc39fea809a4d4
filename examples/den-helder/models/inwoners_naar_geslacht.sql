-- Inhabitants per buurt and sex (M, V, O); the input of a public, disclosure-controlled table.
select buurtcode, geslacht, count(*) as aantal
from ref('personen_actueel')
where buurtcode is not null and geslacht is not null
group by buurtcode, geslacht
