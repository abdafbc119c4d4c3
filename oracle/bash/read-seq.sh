seq 3
seq 2 4
seq 1 2 7
seq 5 -2 1
seq -s, 1 4
seq -w 8 10
seq 0.5 0.5 2
seq 3 1
seq
echo $?
seq x
echo $?
seq 1 0 3
echo $?
seq 3 | while read i; do echo "line $i"; done
printf 'a b c\nd e\n' | while read x y; do echo "[$x] [$y]"; done
printf 'one\ntwo' | while read l; do echo "got $l"; done
echo '  lead and trail  ' | { read -r w; echo "[$w]"; }
echo 'x y z' | { read; echo "[$REPLY]"; }
echo 'a\b c' | { read v; echo "[$v]"; }
echo 'a\b c' | { read -r v; echo "[$v]"; }
echo 'k=v' | { IFS== read k v; echo "$k -> $v"; }
printf '' | read nothing
echo $?
echo hi | read -z x
echo $?
echo 'a b' | { read 1x; echo $?; }
for n in $(seq 1 3); do echo -n "$n "; done; echo
