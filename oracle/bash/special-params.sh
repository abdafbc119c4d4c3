echo $0
echo "$#" "[$1]" "[$@]" "[$*]"
echo $- | grep -c h
echo ${?} ${#}
false
echo "${?}"
echo "$$" | grep -c '^[0-9][0-9]*$'
echo $LINENO
echo \
  $LINENO
