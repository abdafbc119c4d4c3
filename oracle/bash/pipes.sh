echo abc | grep b
echo abc | grep x
echo $?
echo -e 'a\nb\nc' | grep -v b
echo a | cat
echo $? 
nosuch | echo after-nosuch
echo $?
exit 5 | echo pipe-exit-is-a-subshell
echo $?
V=1 | true
echo "[$V]"
echo hi | grep -c hi
