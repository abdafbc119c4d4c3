echo -e 'a1\nb2\na3' > f1; echo -e 'x\na9' > f2
grep a f1
grep -n a f1 f2
grep -c a f1 f2 nosuch
echo $?
grep -h a f1 f2
grep -H a f1
echo a | grep -H a
grep -q a f1 nosuch; echo $?
grep -s z f1 nosuch; echo $?
grep z f1; echo $?
grep -v a f1 f2
