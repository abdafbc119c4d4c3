for w in start stop restart x "a b" '*' ''; do
  case $w in
    start) echo "starting";;
    stop|halt) echo "stopping" ;;
    re*) echo "re-something: $w"
         echo second line
         ;;
    "a b") echo quoted match ;;
    \*) echo literal star ;;
    '') echo empty ;;
    *) echo "other: $w" ;;
  esac
done
case abc in (a?c) echo paren-pattern;; esac
case x in y) echo no;; esac; echo "status $?"
case x in x) false;; esac; echo "status $?"
case x in x) ;; esac; echo "status $?"
v=b; case $v in [abc]) echo bracket;; esac
case x in
esac
echo end
