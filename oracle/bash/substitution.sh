# command substitution, groups, subshells, globs
echo "[$(echo inner)]"
echo $(echo a   b) "$(echo a   b)"
X=$(echo assigned); echo $X
echo `echo backquoted`
echo "$(echo one; echo two)"
echo $(false) $?
Y=$(exit 3); echo $?
echo "nested $(echo "$(echo deep)")"
{ echo in-group; echo second; } > grouped
cat grouped
( echo sub; exit 4 ); echo "after subshell: $?"
( Z=inside ); echo "[$Z]"
{ false; } || echo group-failed
echo x > a.txt; echo y > b.txt
echo *.txt
echo "*.txt" '*.txt' \*.txt
echo nomatch*
cat *.txt
echo ?.txt [ab].txt [!a].txt
echo ${UNSET:-default} ${UNSET-dash} "${EMPTY:+alt}" ${#X}
V=1; echo ${V:+alt} ${V:-unused}
echo $((1 + 2))
