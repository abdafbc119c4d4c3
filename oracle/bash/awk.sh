printf 'lo UP 127.0.0.1/8\neth0 DOWN 10.0.0.1/24\nveth1 UP 10.1.1.2/24 extra\n' > t
awk '{print $1}' t
awk '{print $1, $3}' t
awk '{print $NF}' t
awk '$2 == "UP" {print $1}' t
awk '/veth/' t
awk '!/veth/ {print NR": "$0}' t
awk 'NR>1 {print $1}' t
awk 'NR==2' t
awk '{print NF}' t
awk -F/ '{print $2}' t
awk -F'[ /]' '{print $3}' t
awk -F' ' '{print $2}' t
awk 'BEGIN {print "start"} {n++} END {print n, "lines"}' t
awk '{s += length($1)} END {print s}' t
awk '{printf "%-6s|%5s|\n", $1, $2}' t
awk '{printf "%d %s\n", NR, toupper($1)}' t
awk 'BEGIN {x = 10 / 4; print x; print 7 / 7; print 1e6; print 1e7 * 3; print 0.1 + 0.2; print 2^10; print -3 % 2}'
awk 'BEGIN {printf "%.2f %5.1f %e %g %x %o %c %%\n", 3.14159, 2.5, 12345.678, 0.0001, 255, 8, 65}'
awk -v name=lab 'BEGIN {print "hello " name}'
awk '{split($3, a, "/"); print a[1], a[2]}' t
awk '{sub(/\/.*/, "", $3); print $3}' t
awk '{gsub(/[0-9]/, "#"); print}' t
awk '{print substr($1, 1, 2), index($1, "t"), length}' t
awk '$3 ~ /^10\./ {print $1}' t
awk '$3 !~ /^10\./ {print $1}' t
awk '{c[$2]++} END {for (k in c) n++; print n, c["UP"], c["DOWN"]}' t
awk 'NR==1, NR==2 {print "r", $1}' t
awk '{ if ($2 == "UP") print $1, "up"; else print $1, "down" }' t
awk 'BEGIN { for (i = 1; i <= 3; i++) printf "%d ", i; print "" }'
awk 'BEGIN { i = 0; while (i < 3) { i++ }; print i }'
awk '{$2 = "X"; print}' t
awk 'BEGIN {OFS="-"} {$1 = $1; print}' t
awk '{print $1 > "/dev/stderr"}' t 2>/dev/null; echo $?
awk 'END {print NR}' t
awk '{print "x" $1 "y"}' t
awk '{ print $1 }' nosuch; echo $?
awk '{print $1' t; echo $?
awk; echo $?
awk 'BEGIN {exit 3}'; echo $?
awk '{print $1; exit}' t
echo '5 apples' | awk '{print $1 * 2, $1 + 0.5, ($1 > 10), ($2 > "b")}'
echo 'a:b:c' | awk -F: -v OFS=, '{$2 = "B"; print}'
echo '  lead  trail  ' | awk '{print "[" $1 "]", NF}'
echo 'x' | awk '{print; print $0; print $5 "|"}'
printf '3\n1\n2\n' | awk '{ if ($1 > max) max = $1 } END { print "max", max }'
printf 'a b\n' | awk '{print $1,$2}' | awk '{print $2 $1}'
awk 'BEGIN { printf("%s=%d\n", "n", 42) }'
awk 'BEGIN { print length("hello"), match("foobar", /ob/), RSTART, RLENGTH }'
awk 'BEGIN { n = split("a,b,c", parts, ","); print n, parts[3] }'
awk 'BEGIN { print int(3.9), int(-3.9), 10 % 3 }'
awk 'BEGIN { s = "x"; s = s s; print s; print 1 == 1.0, "a" < "b", "10" < "9", 10 < 9 }'
echo "10 9" | awk '{ print ($1 < $2), ($1 < "9") }'
awk -F, 'BEGIN { print FS }'
rm -f t
echo hello | awk '{gsub(/l*/, "X"); print}'
