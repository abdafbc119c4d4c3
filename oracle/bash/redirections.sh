echo a > f
cat f
echo b >> f
cat f
cat < f
echo to-stderr 1>&2
echo both > g 2>&1
cat g
nofile 2> e
cat e
echo $?
echo x > /nonexistent/dir/x
echo $?
cat < missing
echo $?
echo >out1 split
cat out1
echo a >&3
echo $?
echo quiet > /dev/null
echo $?
cat missing 2>/dev/null
echo $?
echo abc >| h
cat h
echo z &> i
cat i
ls
