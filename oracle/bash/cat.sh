echo content > f
cat f
cat nosuch
echo $?
cat f nosuch f
cat .
echo $?
echo piped | cat
echo piped | cat - f
cat -z f
echo $?
cat -n f
